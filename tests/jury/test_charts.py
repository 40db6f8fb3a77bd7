"""juries/presenters/charts.py: the server-side histogram of the jury table."""

from decimal import Decimal

from juries.presenters.charts import distribution_svg


def test_histogram_has_one_bar_per_two_points_coloured_by_threshold():
    svg = distribution_svg([Decimal("3.5"), Decimal("9.99"), Decimal("10.00"), Decimal("20")], title="UE1 S1")
    assert svg.startswith("<svg") and svg.endswith("</svg>")
    assert svg.count('class="bar bar-ko"') == 5 and svg.count('class="bar bar-ok"') == 5
    assert "2 à 4 : 1 étudiant<" in svg          # 3.5
    assert "8 à 10 : 1 étudiant<" in svg         # 9.99 is below 10
    assert "10 à 12 : 1 étudiant<" in svg        # 10.00 validates (V3)
    assert "18 à 20 : 1 étudiant<" in svg        # 20 falls in the last bin
    assert "(4 moyennes)" in svg


def test_histogram_escapes_its_title_and_copes_with_no_value():
    svg = distribution_svg([], title='<script>alert("x")</script>')
    assert "<script>" not in svg and "&lt;script&gt;" in svg
    assert "(0 moyennes)" in svg
