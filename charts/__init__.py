"""The site's charts. Importing this package registers every chart in CHARTS."""

from . import destinations, map, remittances, timeline  # noqa: F401  (importing registers the charts)
from .registry import CHARTS, Chart, chart, every_chart
from .render import RenderedChart, render

__all__ = ["CHARTS", "Chart", "chart", "every_chart", "RenderedChart", "render"]
