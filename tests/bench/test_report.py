"""The benchmark's table, verdicts, JSON and timing helpers (bench/; quality.md: `make bench`), without timing
anything; and its P1 baseline SQL, which must count what the summary counts."""

import datetime
import json

import pytest

from bench import data
from bench.report import MET, NOT_MET, NOT_RUN, REPORTED, Row, not_run, table, write
from bench.run import chosen, p2_limit
from bench.timing import median, p50, percentile, samples
from tests.reports.test_summaries import county  # noqa: F401 - the constructed county of the summary tests

# The verdicts ----------------------------------------------------------------------------------------------------------


def test_a_value_at_or_under_its_limit_is_met_and_above_it_is_not():
    assert Row("P1", 50.0, target="≤ 50 ms", limit=50).verdict == MET
    assert Row("P1", 50.1, target="≤ 50 ms", limit=50).verdict == NOT_MET


def test_a_ratio_limit_holds_the_ratio_to_the_baseline_not_the_value():
    """CSV import at 3 × COPY meets "≥ 25 % of COPY throughput" (ratio ≤ 4); at 5 × it does not."""
    assert Row("P5", 30.0, 10.0, unit="s", limit=4, on="ratio").verdict == MET
    assert Row("P5", 50.0, 10.0, unit="s", limit=4, on="ratio").verdict == NOT_MET


def test_a_floor_is_met_at_or_above_it():
    assert Row("P4", 19, 19, unit="endpoints", limit=1, on="ratio", at_least=True).verdict == MET
    assert Row("P4", 18, 19, unit="endpoints", limit=1, on="ratio", at_least=True).verdict == NOT_MET


def test_a_row_without_a_limit_is_reported_and_one_not_measured_is_not_run():
    assert Row("P8 req/s", 120.0, unit="req/s").verdict == REPORTED
    skipped = not_run("P5 import", reason="left out")
    assert skipped.verdict == NOT_RUN and skipped.note == "left out"


def test_a_ratio_limit_without_a_baseline_is_not_met():
    assert Row("P5", 30.0, None, limit=4, on="ratio").verdict == NOT_MET


def test_the_ratio_is_value_over_baseline_and_none_without_one():
    assert Row("P1", 30.0, 20.0).ratio == pytest.approx(1.5)
    assert Row("P1", 30.0).ratio is None
    assert Row("P1", 30.0, 0).ratio is None


# The table and the JSON --------------------------------------------------------------------------------------------------


def test_the_table_has_one_line_a_row_with_every_column_and_the_notes_below():
    rows = [
        Row("P1 selector", 28.04, 20.0, target="p50 ≤ 50 ms", limit=50, note="baseline: SQL"),
        not_run("P5 import", reason="a demo-county measure"),
    ]
    text = table(rows)
    lines = text.splitlines()
    assert [cell.strip() for cell in lines[0].split("|")[1:-1]] == [
        "metric", "value", "baseline", "ratio", "target", "verdict"
    ]  # fmt: skip
    assert [cell.strip() for cell in lines[2].split("|")[1:-1]] == [
        "P1 selector", "28.0 ms", "20.0 ms", "1.40 ×", "p50 ≤ 50 ms", "met"
    ]  # fmt: skip
    assert "P5 import" in lines[3] and "not run" in lines[3] and "—" in lines[3]
    assert "- P1 selector: baseline: SQL" in text and "- P5 import: a demo-county measure" in text


def test_the_json_holds_the_meta_and_every_row_with_its_ratio_and_verdict(tmp_path):
    rows = [Row("P1", 40.0, 20.0, limit=50), not_run("P8", reason="left out")]
    now = datetime.datetime(2026, 12, 6, 3, 4, 5, tzinfo=datetime.UTC)
    path = write(rows, meta={"scale": "1m", "households": 1_000_000}, directory=tmp_path / "results", now=now)
    assert path.name == "bench-1m-20261206T030405Z.json"
    written = json.loads(path.read_text())
    assert written["scale"] == "1m" and written["households"] == 1_000_000
    assert [row["metric"] for row in written["rows"]] == ["P1", "P8"]
    assert written["rows"][0]["ratio"] == 2.0 and written["rows"][0]["verdict"] == MET
    assert written["rows"][1]["verdict"] == NOT_RUN and written["rows"][1]["value"] is None


# The timing helpers --------------------------------------------------------------------------------------------------


def test_the_median_of_an_odd_and_an_even_count():
    assert median([5.0, 1.0, 3.0]) == 3.0
    assert median([4.0, 1.0, 3.0, 2.0]) == 2.5


def test_p99_is_the_nearest_rank():
    values = [float(n) for n in range(1, 101)]
    assert percentile(values, 0.99) == 99.0
    assert percentile(values, 0.5) == 50.0
    assert percentile([7.0], 0.99) == 7.0


def test_no_values_have_no_median():
    with pytest.raises(ValueError, match="no values"):
        median([])


def test_samples_warm_up_untimed_and_run_before_each_run():
    """One warm-up, then `times` timed runs, each after `before` (2 + 3 calls of each)."""
    calls = []
    spent = samples(lambda: calls.append("run"), times=3, warmup=2, before=lambda: calls.append("before"))
    assert len(spent) == 3 and all(value >= 0 for value in spent)
    assert calls == ["before", "run"] * 5
    assert p50(lambda: None, times=3) >= 0


# The choices -----------------------------------------------------------------------------------------------------------


def test_only_and_skip_pick_the_metrics_in_their_order():
    assert chosen(None, None) == ["P1", "P2", "P3", "P4", "P5", "P6", "P7", "P8"]
    assert chosen("p3, P1", None) == ["P1", "P3"]
    assert chosen(None, "P5,P6") == ["P1", "P2", "P3", "P4", "P7", "P8"]


def test_an_unknown_metric_is_refused():
    with pytest.raises(SystemExit, match="P9"):
        chosen("P9", None)


def test_a_scale_is_the_demo_county_or_a_number_of_households():
    assert data.scale_from(None) == data.scale_from("demo") == data.DEMO
    assert data.scale_from("1_000_000") == "1000000"
    with pytest.raises(SystemExit):
        data.scale_from("many")


def test_each_scale_has_its_database_beside_the_one_named():
    base = "postgres://postgres@127.0.0.1:5432/jz_hbench"
    assert data.database_url(base, data.DEMO) == f"{base}_bench_demo"
    assert data.database_url(base, "1000000") == f"{base}_bench_1m"
    assert data.database_url(base, "10000000") == f"{base}_bench_10m"
    assert data.database_url(base, "250000") == f"{base}_bench_250k"


def test_p2s_target_tightens_at_ten_million():
    assert p2_limit(data.DEMO) is None
    assert p2_limit("1000000") == 500
    assert p2_limit("10000000") == 200


# The P1 baseline counts what the summary counts ------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("day", [datetime.date(2015, 12, 31), datetime.date(2017, 12, 31)])
def test_the_baseline_sql_gives_the_selectors_households_people_and_pairings(county, day):  # noqa: F811
    """Given the constructed county of tests/reports/test_summaries.py, when the P1 baseline and the application's
    selector read it as of a day, then households and people by registry status and the paired households agree."""
    from bench.summaries import baseline_figures, baseline_rows
    from reports.selectors import region_summary
    from tests.conftest import COUNTY
    from villages.models import Region

    summary = region_summary(region=Region.objects.get(code=COUNTY), as_of=day)
    baseline = baseline_figures(baseline_rows(COUNTY, day))
    for status in ("poor", "exited", "closed", "removed"):
        assert baseline["households"].get(status, 0) == summary["households"][status], status
        assert baseline["people"].get(status, 0) == summary["people"][status], status
    assert baseline["paired"] == summary["cadres"]["paired_households"]

