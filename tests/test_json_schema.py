"""The committed JSON Schema is the one the models generate, and it accepts the real data."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema

import build
from facts.load import read_yaml

ROOT = Path(__file__).resolve().parent.parent


def test_committed_schema_is_current():
    assert build.SCHEMA_PATH.read_text(encoding="utf-8") == build.json_schema(), (
        "data/schema/datafile.schema.json is stale: run `python build.py schema`")


def test_every_data_file_validates_against_the_schema_and_points_at_it():
    schema = json.loads(build.json_schema())
    for path in sorted((ROOT / "data").glob("*.yaml")):
        text = path.read_text(encoding="utf-8")
        assert text.startswith("# yaml-language-server: $schema=schema/datafile.schema.json"), path.name
        data, _, problems = read_yaml(path, ROOT)
        assert problems == []
        jsonschema.validate(data, schema)


def test_schema_rejects_what_the_models_reject():
    schema = json.loads(build.json_schema())
    bad = {"facts": [{"id": "x-y", "label": "x", "value": 1, "unit": "dollars", "period": 2024,
                      "entities": ["UZ"], "sources": [{"source": "s", "locator": "p"}],
                      "as_of": "2025", "checked": "2025-01-01"}]}
    validator = jsonschema.Draft202012Validator(schema)
    assert any("dollars" in e.message for e in validator.iter_errors(bad))


def test_the_downloads_describe_each_field_as_the_schema_does():
    """One description per field: a download column that is a model field takes the model's words,
    unless the download writes it in another form (sources flattened to text)."""
    from facts import export
    from facts.schema import Event, Fact

    for model, columns, fields in ((Fact, export._FACT_COLUMNS, export.FACT_FIELDS),
                                   (Event, export._EVENT_COLUMNS, export.EVENT_FIELDS)):
        redescribed = {name for name, _, text in columns if text and name in model.model_fields}
        assert redescribed == {"id", "sources"}, redescribed
        assert all(description for _, _, description in fields)
