"""Server-rendered SVG charts, the same on the pages and in the PDF (SPEC §5.4).

Each chart is a function returning safe SVG markup with a <title> and <desc> for screen
readers; pages also show the figures as text or a table next to it. Only presentation
attributes are used (no `style`), so charts obey the Content-Security-Policy and render
identically in WeasyPrint. `base` holds the shared pieces; one module per kind of chart.
"""
