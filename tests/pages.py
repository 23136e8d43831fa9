"""Pages written for the tests (our own text), shared by the watch and Spark tests."""

KARRADA_EN = """<html lang="en"><head><title>Car bomb in Baghdad</title>
<meta property="article:published_time" content="2022-03-05T14:00:00+03:00"></head><body>
<article><h1>Car bomb kills five in Baghdad</h1>
<p>Five people were killed and nine wounded when a car bomb exploded in the Karrada district of central
Baghdad on Saturday morning, Iraqi police said.</p>
<p>No group has claimed responsibility for the attack.</p></article></body></html>"""
