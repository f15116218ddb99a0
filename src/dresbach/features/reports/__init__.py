"""Reports for managers: the math over plain rows and the charts that draw it.

Pure: no I/O, no clock, no randomness. The caller loads the rows, chooses the period and its
time zone, and serves what comes out (SVG strings, HTML tables, CSV text).

- `stats`: volume by day, response and resolution times, satisfaction, containment, funnel.
- `charts`: server-rendered, accessible SVG charts (bars, lines, horizontal bars, funnel).
- `export`: the same numbers as CSV for a spreadsheet in pt-BR.
- `formatting`, `texts`: pt-BR numbers, durations and days; every word a manager reads.
"""
