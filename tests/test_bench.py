"""The pure parts of `make bench` (bench/suite.py): wrk's report, the ratio, the table, the doc section."""

from pathlib import Path

import pytest

from bench import suite


def test_the_wrk_report_line_is_found_among_wrks_own_output():
    output = (
        "Running 8s test @ http://127.0.0.1:18401/api/v1/home/\n  1 threads and 16 connections\n"
        'WRKJSON {"requests": 8000, "seconds": 8.0, "rps": 1000.0, "p50_ms": 12.5, "p95_ms": 20.0, '
        '"p99_ms": 31.2, "non_2xx": 0, "socket_errors": 0}\n'
    )
    report = suite.parse_wrk(output)
    assert (report["rps"], report["p50_ms"], report["p99_ms"]) == (1000.0, 12.5, 31.2)


def test_a_run_without_a_report_is_an_error():
    with pytest.raises(RuntimeError, match="no report"):
        suite.parse_wrk("unable to connect to 127.0.0.1:18401 Connection refused\n")


def test_the_figure_is_the_median_of_the_alternated_ratios():
    # Three alternations: the shop against the ceiling measured right after it each time.
    assert suite.median_ratio([(900, 1000), (500, 1000), (2000, 2500)]) == pytest.approx(0.8)


def test_a_row_renders_every_column_and_dashes_for_what_was_not_measured():
    row = suite.Row("SKU detail (cached)", 100_000, 2400.0, 3000.0, 0.8, 6.2, None, 14.0, None, 98.4)
    cells = suite.format_row(row).strip("|").split("|")
    assert len(cells) == suite.HEADER.splitlines()[0].count("|") - 1
    assert [cell.strip() for cell in cells] == [
        "SKU detail (cached)", "100,000", "2,400", "3,000", "0.80×", "6.20", "—", "14.00", "—", "98", ""
    ]  # fmt: skip


def test_the_table_replaces_only_the_bench_section_of_the_doc(tmp_path: Path, monkeypatch):
    doc = tmp_path / "performance.md"
    doc.write_text(f"# Performance\n\nprose before\n\n{suite.BEGIN}\nold table\n{suite.END}\n\nprose after\n")
    monkeypatch.setattr(suite, "DOC", doc)
    suite.write_doc("| new | table |", "Measured now.")
    text = doc.read_text()
    assert "old table" not in text
    assert "prose before" in text and "prose after" in text
    assert f"{suite.BEGIN}\nMeasured now.\n\n| new | table |\n{suite.END}" in text


@pytest.mark.django_db(transaction=True)
def test_the_order_ceiling_takes_stock_once_per_order_and_refuses_a_sold_out_sku():
    from django.test import RequestFactory

    from bench import order_ceiling

    order_ceiling.create_tables(skus=2, stock={1: 2})
    request = RequestFactory().post("/order/", {"sku_id": 1, "buyer": 7}, content_type="application/json")
    answers = [order_ceiling.order(request) for _ in range(3)]
    assert [answer.status_code for answer in answers] == [201, 201, 409]
    assert order_ceiling.sold(1) == (0, 2, 2)  # stock left, sales, units on order lines
    assert order_ceiling.sold(2) == (1_000_000, 0, 0)
