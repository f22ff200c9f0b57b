"""Every dated event the article mentions, on one time axis."""

from __future__ import annotations

import altair as alt

from facts.format import format_partial_date, format_source
from facts.lang import N_, t
from facts.load import FactBase

from . import annotations
from .registry import chart

# How precisely each event is dated, in words (the tooltip's "Date").
KNOWN_TO = {"day": N_("known to the day"), "month": N_("known to the month"), "year": N_("known to the year")}
TO_THE_DAY = KNOWN_TO["day"]   # the events drawn as dots


def event_rows(base: FactBase) -> list[dict]:
    rows = []
    for event in base.events_in_order():
        source, locator = base.citations(event)[0]
        rows.append({
            "event": event.id,
            "date": event.date.first_day().isoformat(),
            "end": event.date.last_day().isoformat(),
            "when": format_partial_date(event.date),
            "precision": t(KNOWN_TO[event.date.precision]),
            "title": event.title,
            "description": event.description,
            "countries": ", ".join(event.entities),
            "source": format_source(source, locator),
            "dated_by": "; ".join(format_source(s) for s in base.dated_by(event)) or t("the article"),
        })
    return rows


@chart(
    id="timeline",
    title=N_("From the Crocus attack to Central Asia's pushback"),
    summary=N_("The events the article cites, placed in time; each is dated only as precisely as a named "
               "source gives it."),
    finding=N_("After the Crocus attack of {date:crocus-city-hall-attack}, pressure on migrants mounted until "
               "Central Asian governments pushed back"),
    uses_events=True,
    annotates=(("callout", "event"),),
)
def timeline(base: FactBase) -> alt.TopLevelMixin:
    rows = event_rows(base)
    hover = alt.selection_point(name="event_hover", on="pointerover", clear="pointerout", fields=["event"])
    # The axis runs from the first event's year to the end of the last one's.
    first, last = min(r["date"] for r in rows), max(r["end"] for r in rows)
    domain = [f"{int(first[:4])}-01-01", f"{int(last[:4]) + 1}-01-01"]
    time_scale = alt.Scale(domain=domain)
    x = alt.X("date:T", title=None, scale=time_scale,
              axis=alt.Axis(format="%Y", tickCount="year", labelFontSize=12))
    order = [r["title"] for r in rows]
    y = alt.Y("title:N", sort=order, title=None, axis=None)
    tip = [alt.Tooltip("when:N", title=t("When")), alt.Tooltip("title:N", title=t("Event")),
           alt.Tooltip("description:N", title=t("What happened")), alt.Tooltip("precision:N", title=t("Date")),
           alt.Tooltip("dated_by:N", title=t("Dated by")), alt.Tooltip("source:N", title=t("Source"))]
    # Each event spans the period its date is known to: a day is a dot, a month a
    # short bar, a year-only date a bar across the whole year.
    spans = alt.Chart().mark_bar(height=10, cornerRadius=5, strokeWidth=0, yOffset=4).encode(
        x=x, x2="end:T", y=y, tooltip=tip,
        opacity=alt.when(hover).then(alt.value(1)).otherwise(alt.value(0.75)),
    ).add_params(hover)
    # A day is too short to see as a bar: those events are dots, so every event shows.
    days = alt.Chart().transform_filter(alt.datum.precision == t(TO_THE_DAY)).mark_point(
        filled=True, size=70, yOffset=4).encode(
        x=x, y=y, tooltip=tip, opacity=alt.when(hover).then(alt.value(1)).otherwise(alt.value(0.75)))
    # The event's date and title above its bar, from the left edge, so long titles fit a phone.
    labels = alt.Chart().mark_text(align="left", baseline="top", dy=1, fontSize=12,
                                   limit=alt.ExprRef(expr="width")).encode(
        x=alt.value(0), y=alt.Y("title:N", sort=order, axis=None, bandPosition=0),
        text=alt.Text("text:N"), tooltip=tip,
    ).transform_calculate(text="datum.when + ': ' + datum.title")
    # The notes data/ declares for the timeline, beside the events they point at.
    callouts = annotations.event_callouts(base, "timeline", time_scale, order)
    return alt.layer(spans, days, labels, *callouts, data=alt.Data(values=rows)).properties(
        width="container", height=alt.Step(44))
