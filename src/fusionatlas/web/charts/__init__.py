"""Every chart the web pages draw, as SVG written on the server (no script, no tiles, no network).

- `landscape`: the landscape pages' budget bars, investment panels, milestone timeline and world map;
- `sunburst`: the technology map's sunburst;
- `heatmap`: the industry map's technology-area x country heatmap.

A chart takes plain values and the page's translator and returns SVG text; the page shows it inline and
offers the same drawing as a download.
"""
