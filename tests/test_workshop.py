"""The workshop application, driven headless: widget values in, data and drawn charts out, files on disk."""

import dataclasses
import datetime as dt

import matplotlib.text
import numpy as np
import pandas as pd
import pytest

import partnerlib as pl
from partnerlib.report import analyse_review
from partnerlib.report.text import esc
from partnerlib.workshop import VIEWS, Workshop
from partnerlib.workshop import open_workshop as workshop

from .conftest import SAMPLE, legend_in_reading_order

TODAY = dt.date(2026, 5, 1)
SURVEYS = {p: SAMPLE / f"survey_{p}.csv" for p in ("2024", "2025", "2026")}


@pytest.fixture(scope="module")
def survey():
    return pl.read_surveys(SURVEYS, SAMPLE / "codebook.yml")


@pytest.fixture
def register(tmp_path):
    """An actions register in tmp_path with one earlier action and a client's own column."""
    path = tmp_path / "actions.csv"
    path.write_text(
        "id,period,principle,action,owner,due,status,notes,Budget\n"
        "2025-01,2025,Accountability,Name an owner per commitment,PMO,2025-12-31,done,,5k\n",
        encoding="utf-8",
    )
    return path


@pytest.fixture
def app(survey, register):
    return Workshop(survey, period="2026", actions=register, today=TODAY)


def hand_current(survey, period, principle, **filters):
    """Mean over respondents of each respondent's mean current score (computed here with plain pandas)."""
    r = survey.responses
    keep = (
        (r["period"].astype(str) == period)
        & (r["principle"].astype(str) == principle)
        & (r["measure"].astype(str) == "current")
    )
    for col, value in filters.items():
        keep &= r[col].astype(str) == value
    per_person = r[keep].groupby("respondent", observed=True)["score"].mean()
    return per_person.mean(), len(per_person)


def drawn_points(ax):
    return sorted(tuple(np.round(xy, 9)) for coll in ax.collections for xy in coll.get_offsets())


def test_opens_on_the_review_period_for_everyone(app, survey):
    assert app.period.value == "2026" and app.view.value == "quadrant"
    assert app.result.shown and app.result.n == 68
    current, n = hand_current(survey, "2026", "Accountability")
    row = app.result.data.set_index("principle").loc["Accountability"]
    assert row["current"] == pytest.approx(current) and row["n"] == n
    svg = bytes(app.figure.value)
    assert svg.startswith(b"<?xml") and b"<svg" in svg
    assert "68 respondents" in app.message.value


def test_filter_change_redraws_the_chart_from_the_filtered_data(app, survey):
    before = bytes(app.figure.value)
    app.filters["partner"].value = "Northwind Health"
    data = app.result.data.set_index("principle")
    for principle in ["Trust", "Open communication", "Respect"]:
        current, n = hand_current(survey, "2026", principle, partner="Northwind Health")
        assert data.loc[principle, "current"] == pytest.approx(current)
        assert data.loc[principle, "n"] == n
    assert app.result.n == 39
    assert bytes(app.figure.value) != before
    expected = sorted(tuple(np.round(xy, 9)) for xy in data[["current", "importance"]].to_numpy(float))
    assert drawn_points(app.axes) == expected
    labels = sorted(t.get_text() for t in app.axes.texts if t.get_gid() == "point-label")
    assert labels == sorted(survey.codebook.principle_order)


def test_period_filter_switches_period(app, survey):
    app.period.value = "2024"
    current, _ = hand_current(survey, "2024", "Shared goals")
    assert app.result.data.set_index("principle").loc["Shared goals", "current"] == pytest.approx(current)
    assert app.result.n == 52


def test_group_below_minimum_shows_only_the_message(app):
    app.filters["partner"].value = "Contoso Logistics"
    app.filters["role"].value = "Executive"  # 4 Contoso executives answered in 2026
    assert app.result.data is None
    assert "Too few responses to show (n &lt; 5)" in app.message.value
    assert bytes(app.figure.value) == b"" and app.figure.layout.display == "none"
    assert "respondents in this selection" not in app.message.value
    app.filters["role"].value = "All"
    assert app.result.shown and app.figure.layout.display == "" and bytes(app.figure.value)


def test_selection_revealing_a_small_group_by_difference_is_refused(app):
    # 7 Northwind executives would be shown, but with all 11 executives shown the 4 Contoso ones follow.
    app.filters["role"].value = "Executive"
    assert app.result.shown and app.result.n == 11
    app.filters["partner"].value = "Northwind Health"
    assert app.result.data is None and bytes(app.figure.value) == b""
    assert "left out by this filter" in app.message.value


def test_votes_are_tallied_beside_the_gap_ranking_and_can_be_reset(app):
    app.participant.value = "Table 1"
    app.allocation["Accountability"].value = 2
    app.allocation["Trust"].value = 1
    app.cast.click()
    app.participant.value = "Table 2"
    app.allocation["Accountability"].value = 3
    app.cast.click()
    table = app.priorities().set_index("principle")
    assert table.loc["Accountability", "dots"] == 5 and table.loc["Trust", "dots"] == 1
    assert table.loc["Accountability", "voters"] == 2
    assert table.loc["Accountability", "gap_rank"] == 1  # the demo's built-in gap
    # the room sees the report's proposed priorities, in the report's order
    proposed = table["proposed"].dropna().sort_values()
    report = analyse_review(surveys=SURVEYS, codebook=SAMPLE / "codebook.yml", period="2026")
    assert proposed.index.tolist() == report.priorities["principle"].tolist()
    assert "<th>Proposed</th>" in app.tally_table.value
    assert "2 participants voted" in app.tally_table.value
    assert "<td>Accountability</td>" in app.tally_table.value and "<td>5</td>" in app.tally_table.value
    assert [b.value for b in app.allocation.values()] == [0] * 6  # the form is cleared for the next person
    app.participant.value = "Table 3"
    app.allocation["Respect"].value = 3
    app.allocation["Trust"].value = 3
    app.cast.click()
    assert "6 dots placed but each participant has 3" in app.vote_feedback.value
    assert set(app.votes) == {"Table 1", "Table 2"}
    app.reset.click()  # asks first
    assert set(app.votes) == {"Table 1", "Table 2"} and app.confirm_box.layout.display == ""
    assert "Clear the votes of all 2 participants?" in app.confirm_text.value
    app.keep_votes.click()
    assert set(app.votes) == {"Table 1", "Table 2"} and app.confirm_box.layout.display == "none"
    app.reset.click()
    app.confirm_reset.click()
    assert app.votes == {} and app.priorities()["dots"].sum() == 0
    assert "0 participants voted" in app.tally_table.value
    assert app.undo.layout.display == ""
    app.undo.click()
    assert app.votes == {"Table 1": {"Accountability": 2, "Trust": 1}, "Table 2": {"Accountability": 3}}
    assert app.undo.layout.display == "none"


def test_votes_are_saved_beside_the_register_and_survive_a_restart(survey, register):
    first = Workshop(survey, period="2026", actions=register, today=TODAY, review="demo")
    first.participant.value = "  ann  LEE "
    first.allocation["Trust"].value = 2
    first.cast.click()
    assert "2 of 3 dots placed, 1 left" in first.vote_feedback.value  # a partial vote is accepted with a note
    assert "ann LEE: 1 of 3 dots left" in first.voters.value
    saved = register.parent / "demo-2026.votes.json"
    assert saved.is_file()
    again = Workshop(survey, period="2026", actions=register, today=TODAY, review="demo")  # the app restarted
    assert again.votes == {"ann LEE": {"Trust": 2}}
    again.participant.value = "Ann Lee"  # the same participant, written otherwise
    again.allocation["Respect"].value = 3
    again.cast.click()
    assert again.votes == {"Ann Lee": {"Respect": 3}}
    assert "Ann Lee: 0 of 3 dots left" in again.voters.value
    # the tally chart lists the principles by dots, most first
    svg = bytes(again.tally_figure.value).decode()
    assert svg.index(">Respect<") < svg.index(">Trust · proposed 2<")
    # the first page sees the change without being rebuilt
    assert first.refresh_shared() and first.votes == {"Ann Lee": {"Respect": 3}}
    assert not first.refresh_shared()  # nothing new since


def fill(app, **values):
    fields = {
        "principle": "Accountability",
        "action": "Publish a RACI for joint commitments",
        "owner": "Partnership board",
        "due": "2026-09-30",
    }
    fields.update(values)
    for name, value in fields.items():
        app.action_fields[name].value = value


def test_valid_action_is_appended_to_the_register_on_disk(app, register):
    fill(app, action="Review <script>alert(1)</script> escalations", owner='=HYPERLINK("x")')
    app.submit.click()
    saved = pl.read_actions(register)
    assert saved["id"].tolist() == ["2025-01", "2026-01"]
    new = saved.iloc[1]
    assert new["principle"] == "Accountability" and new["period"] == "2026"
    assert new["action"] == "Review <script>alert(1)</script> escalations"
    assert new["owner"] == '=HYPERLINK("x")' and new["status"] == "not started"
    assert new["due"] == pd.Timestamp("2026-09-30")
    assert saved.iloc[0]["Budget"] == "5k"  # the client's column survives
    text = register.read_text(encoding="utf-8")
    assert "'=HYPERLINK" in text  # save_actions keeps formulas inert in the file
    assert "Saved action 2026-01" in app.act_feedback.value
    assert "&lt;script&gt;" in app.register_table.value and "<script>" not in app.register_table.value
    assert app.action_fields["action"].value == "" and app.action_fields["due"].value == ""
    fill(app)
    app.submit.click()
    assert pl.read_actions(register)["id"].tolist() == ["2025-01", "2026-01", "2026-02"]


def test_empty_form_shows_messages_next_to_fields_and_writes_nothing(app, register):
    before = register.read_bytes()
    app.submit.click()
    assert register.read_bytes() == before
    assert "Describe the action" in app.action_errors["action"].value
    assert "Name the owner" in app.action_errors["owner"].value
    assert "Give a due date" in app.action_errors["due"].value
    assert "Choose the principle" in app.action_errors["principle"].value
    assert "Not saved" in app.act_feedback.value


def test_invalid_date_is_explained_and_writes_nothing(app, register):
    before = register.read_bytes()
    fill(app, due="31/09/2026")
    app.submit.click()
    assert register.read_bytes() == before
    assert "is not a date: write it as YYYY-MM-DD" in app.action_errors["due"].value
    assert app.action_errors["action"].value == ""
    fill(app, due="2026-09-31")
    app.submit.click()
    assert "not a calendar date" in app.action_errors["due"].value
    fill(app, due="2026-10-01")
    app.submit.click()
    assert app.action_errors["due"].value == ""
    assert pl.read_actions(register)["id"].tolist() == ["2025-01", "2026-01"]


def test_new_register_is_created_on_first_save(survey, tmp_path):
    path = tmp_path / "new" / "actions.csv"
    app = Workshop(survey, actions=path, today=TODAY)
    assert "No actions yet" in app.register_table.value
    fill(app)
    app.submit.click()
    assert pl.read_actions(path)["id"].tolist() == ["2026-01"]


def test_without_a_register_the_form_explains_how_to_add_one(survey):
    app = Workshop(survey, today=TODAY)
    assert app.submit.disabled
    assert "no actions register" in app.act_feedback.value


def test_workshop_reads_a_manifest_entrys_inputs(register):
    app = workshop(
        {"2026": SURVEYS["2026"]}, SAMPLE / "codebook.yml", actions=register, title="A <b> title", today=TODAY
    )
    assert app.review.periods == ["2026"] and app.result.n == 68
    assert app.heading.value == "<h2>A &lt;b&gt; title</h2>"
    with pytest.raises(pl.PartnerDataError, match="a codebook is needed"):
        workshop({"2026": SURVEYS["2026"]})


def test_unknown_review_period_is_named(survey):
    expected = r"period '2023' is not in the review; periods present: \['2024', '2025', '2026'\]"
    with pytest.raises(pl.PartnerDataError, match=expected):
        Workshop(survey, period="2023")


def test_displaying_the_workshop_displays_its_widgets(app):
    bundle = app._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in bundle
    assert bundle["application/vnd.jupyter.widget-view+json"]["model_id"] == app.widget.model_id


def test_perception_view_compares_the_organisations_within_the_other_filters(app, survey):
    app.filters["partner"].value = "Northwind Health"
    app.view.value = "perception"
    assert app.filters["partner"].disabled  # the view compares organisations itself
    app.filters["role"].value = "Manager"
    data = app.result.data.set_index("principle")
    north, n_north = hand_current(survey, "2026", "Open communication", partner="Northwind Health", role="Manager")
    contoso, n_contoso = hand_current(survey, "2026", "Open communication", partner="Contoso Logistics", role="Manager")
    row = data.loc["Open communication"]
    assert (row["side_a"], row["side_b"]) == ("Contoso Logistics", "Northwind Health")
    assert row["current_a"] == pytest.approx(contoso) and row["current_b"] == pytest.approx(north)
    assert (row["n_a"], row["n_b"]) == (n_contoso, n_north) == (12, 16)
    assert app.result.n == 28
    drawn = sorted(float(x) for coll in app.axes.collections for x, _ in coll.get_offsets())
    assert drawn == pytest.approx(sorted(data["current_a"].tolist() + data["current_b"].tolist()))
    app.filters["role"].value = "Executive"  # 4 Contoso executives: the comparison would show them
    assert app.result.data is None and "Too few responses to show (n &lt; 5)" in app.message.value


def test_principle_detail_counts_the_answers_of_the_selection(app, survey):
    app.view.value = "detail"
    app.principle.value = "Accountability"
    app.filters["partner"].value = "Contoso Logistics"
    r = survey.responses
    keep = (
        (r["period"] == "2026")
        & (r["partner"] == "Contoso Logistics")
        & (r["item"] == "accountability_2")
        & (r["measure"] == "current")
    )
    expected = r[keep]["score"].value_counts()
    row = app.result.data.set_index("item").loc["accountability_2"]
    for point in range(1, 6):
        assert row[str(point)] == expected.get(float(point), 0)
    assert row["n"] == keep.sum()
    bars = [p for p in app.axes.patches if p.get_width() > 0]
    assert bars, "bars were drawn"
    labels = [t.get_text() for t in app.axes.get_yticklabels()]
    assert labels[0] == "Agreed actions are completed on time."  # the statement, not its item code
    legend = legend_in_reading_order(app.axes)
    assert legend[:5] == ["Strongly disagree", "Disagree", "Neither agree nor disagree", "Agree", "Strongly agree"]
    assert app.principle.layout.display == ""


def test_trend_view_leaves_out_periods_where_the_selection_is_too_small(survey):
    app = Workshop(survey, min_n=9, today=TODAY)
    app.view.value = "trend"
    assert app.period.layout.display == "none"
    app.filters["role"].value = "Executive"  # 9, 8 and 11 executives in 2024, 2025, 2026
    data = app.result.data
    assert sorted(data["period"].astype(str).unique()) == ["2024", "2026"]
    assert "2025 not shown: too few responses" in app.result.title
    for period in ["2024", "2026"]:
        current, _ = hand_current(survey, period, "Shared goals", role="Executive")
        got = data[(data["period"].astype(str) == period) & (data["principle"] == "Shared goals")]["current"]
        assert got.iat[0] == pytest.approx(current)
    lines = [ln for ln in app.axes.lines if ln.get_label() == "Shared goals"]
    assert len(lines) == 1 and list(lines[0].get_xdata()) == [0, 1]
    app.filters["partner"].value = "Contoso Logistics"  # 5, 4 and 4 Contoso executives
    assert app.result.data is None and app.message.value.count("Too few responses to show (n &lt; 9)") == 1


def test_going_back_to_a_selection_reuses_its_drawn_view(app):
    first = app.result
    first_image = bytes(app.figure.value)
    app.filters["partner"].value = "Northwind Health"
    assert app.result is not first
    app.filters["partner"].value = "All"
    assert app.result is first and bytes(app.figure.value) == first_image
    app.view.value = "trend"
    trend = app.result
    app.period.value = "2024"  # the trend shows every period: nothing to recompute
    assert app.result is trend
    app.clear_cache()
    app.period.value = "2025"
    assert app.result is not trend
    assert app.result.data.equals(trend.data)


def test_each_codebook_attribute_is_a_filter(qualtrics, tmp_path):
    """Twelve respondents: site North (6, Trust current 4 and 2 alternately) and South (6, all 3).

    A second principle's answers differ between all twelve, so no response is dropped as a duplicate.
    """
    questions = ["Q1", "Q2", "Site", "Q5_1", "Q6_1", "Q5_2", "Q6_2"]
    rows = [
        {
            "Q1": "Northwind" if i % 2 else "Contoso",
            "Q2": "Manager",
            "Site": "North" if i < 6 else "South",
            "Q5_1": str(4 if i % 2 else 2) if i < 6 else "3",
            "Q6_1": "5",
            "Q5_2": str(i % 5 + 1),
            "Q6_2": str(i // 5 + 1),
            "ResponseId": f"R{i}",
        }
        for i in range(12)
    ]
    path = qualtrics(questions, rows)
    codebook = {
        "period": "2026",
        "scale": {"min": 1, "max": 5},
        "respondent": {"id": "ResponseId", "partner": "Q1", "role": "Q2", "attributes": ["Site"]},
        "principles": {
            "Trust": [{"item": "t1", "current": "Q5_1", "importance": "Q6_1"}],
            "Respect": [{"item": "r1", "current": "Q5_2", "importance": "Q6_2"}],
        },
    }
    app = workshop(pl.read_survey(path, codebook), today=TODAY)
    assert list(app.filters) == ["partner", "role", "Site"]
    assert app.filters["Site"].options == ("All", "North", "South")
    app.filters["Site"].value = "North"
    assert app.result.message == "", app.result.message
    row = app.result.data.set_index("principle").loc["Trust"]
    assert (row.name, row["n"], row["current"], row["importance"]) == ("Trust", 6, 3.0, 5.0)
    app.filters["Site"].value = "South"
    assert app.result.data.set_index("principle").loc["Trust", "current"] == 3.0
    app.filters["partner"].value = "Northwind"  # 3 southern Northwind respondents
    assert app.result.data is None and "n &lt; 5" in app.message.value


def test_two_workshops_saving_to_one_register_never_overwrite_each_other(survey, register):
    import threading

    from partnerlib.io.actions import register_lock

    first, second = (Workshop(survey, actions=register, today=TODAY) for _ in range(2))
    fill(second, action="Second table's action")
    done = threading.Event()
    with register_lock(register):  # another page is in the middle of saving
        worker = threading.Thread(target=lambda: (second.submit_action(), done.set()))
        worker.start()
        assert not done.wait(0.5), "the save waited for the lock"
        # the other page saves its action while holding the lock (as submit_action does)
        from partnerlib import save_actions
        from partnerlib.workshop.form import draft_action

        row, _ = draft_action(
            principle="Trust",
            action="First table's action",
            owner="PMO",
            due="2026-09-30",
            period="2026",
            principles=first.review.principles,
            register=pl.read_actions(register),
            today=TODAY,
        )
        save_actions(row, register)
    worker.join(timeout=60)
    assert done.is_set()
    saved = pl.read_actions(register).set_index("id")["action"].to_dict()
    assert saved == {
        "2025-01": "Name an owner per commitment",
        "2026-01": "First table's action",
        "2026-02": "Second table's action",
    }


@pytest.mark.parametrize("view", ["quadrant", "perception", "detail", "trend"])
def test_a_reused_chart_draws_exactly_what_a_new_one_draws(survey, view):
    # Each view keeps its Axes between drawings (emptied, not rebuilt): drawing one selection after another
    # must give the same SVG as drawing the second selection on a new app.
    used = Workshop(survey, period="2026", today=TODAY)
    used.view.value = view
    used.filters["role"].value = "Manager"
    used.period.value = "2025"
    used.filters["role"].value = "All"
    used.period.value = "2026"
    used.clear_cache()
    used.filters["partner"].value = "Northwind Health" if view != "perception" else "All"
    new = Workshop(survey, period="2026", today=TODAY)
    new.filters["partner"].value = used.filters["partner"].value
    new.view.value = view
    assert new.axes is not used.axes
    assert bytes(used.figure.value) == bytes(new.figure.value)
    assert b"Manager" not in bytes(used.figure.value) or view == "detail"


def test_the_demo_register_is_copied_on_the_first_save_and_never_written(survey, tmp_path, monkeypatch):
    import functools

    from partnerlib.workshop import widgets
    from partnerlib.workshop.store import working_register

    demo = SAMPLE / "actions.csv"
    before = demo.read_bytes()
    processed = tmp_path / "processed"
    monkeypatch.setattr(widgets, "working_register", functools.partial(working_register, processed=processed))
    app = Workshop(survey, period="2026", actions=demo, today=TODAY, review="demo")
    assert app.actions_path == processed / "actions.csv" and app.actions_source == demo
    assert str(processed / "actions.csv") in app.where.value and "never changed" in app.where.value
    shown = len(pl.read_actions(demo))
    assert f"{shown} actions" in app.register_table.value  # the demo's actions are shown before any save
    fill(app)
    assert app.submit_action()
    assert demo.read_bytes() == before
    saved = pl.read_actions(processed / "actions.csv")
    assert len(saved) == shown + 1 and saved["action"].iat[-1] == "Publish a RACI for joint commitments"
    assert (processed / "demo-2026.votes.json").exists() is False  # no vote cast yet: no votes file
    assert working_register(tmp_path / "elsewhere.csv") == (tmp_path / "elsewhere.csv", None)


def test_an_action_of_the_period_can_be_edited_or_cancelled_never_removed(app, register):
    fill(app)
    app.submit.click()
    assert "partnerlib-new" in app.register_table.value  # the row just added is highlighted
    assert [v for _, v in app.edit.options] == ["", "2026-01"]  # only this period's actions are offered
    app.edit.value = "2026-01"
    assert app.action_fields["owner"].value == "Partnership board" and app.submit.description == "Save changes"
    app.action_fields["owner"].value = "PMO"
    app.submit.click()
    saved = pl.read_actions(register).set_index("id")
    assert saved.loc["2026-01", "owner"] == "PMO" and len(saved) == 2
    assert saved.loc["2025-01", "Budget"] == "5k"
    app.edit.value = "2026-01"
    app.cancel_action.click()
    saved = pl.read_actions(register).set_index("id")
    assert saved.loc["2026-01", "status"] == "cancelled" and saved.loc["2026-01", "owner"] == "PMO"
    assert len(saved) == 2 and "cancelled" in app.act_feedback.value


def test_refusals_say_which_group_or_side_is_too_small_without_its_size(app):
    app.filters["partner"].value = "Contoso Logistics"
    app.filters["role"].value = "Executive"  # 4 Contoso executives answered in 2026
    text = app.message.value
    assert "fewer than 5 people answered as Contoso Logistics · Executive in 2026" in text
    assert "traced back to them" in text and "4" not in text.replace("2026", "")
    app.filters["partner"].value = "All"
    app.view.value = "perception"  # 7 Northwind and 4 Contoso executives: the Contoso side is too small
    text = app.message.value
    assert app.result.data is None and "on the Contoso Logistics side, fewer than 5 people answered" in text
    assert "4" not in text.replace("2026", "")


@pytest.mark.parametrize("view", ["quadrant", "perception", "detail", "trend"])
def test_no_text_of_a_view_is_cut_by_the_edge_of_its_chart(survey, view):
    app = Workshop(survey, period="2026", today=TODAY)
    app.view.value = view
    for principle in app.principle.options if view == "detail" else [app.principle.value]:
        app.principle.value = principle
        fig = app.axes.figure
        renderer = fig.canvas.get_renderer()
        edge = fig.bbox
        undrawn = set()  # tick labels of ticks outside the axis range, which matplotlib does not draw
        for axis in (app.axes.xaxis, app.axes.yaxis):
            lo, hi = sorted(axis.get_view_interval())
            for tick in axis.get_major_ticks():
                if not lo - 1e-9 <= tick.get_loc() <= hi + 1e-9:
                    undrawn.update({id(tick.label1), id(tick.label2)})
        texts = [
            t
            for t in fig.findobj(matplotlib.text.Text)
            if t.get_visible() and t.get_text().strip() and id(t) not in undrawn
        ]
        assert texts
        for text in texts:
            box = text.get_window_extent(renderer)
            inside = box.x0 >= edge.x0 - 1 and box.x1 <= edge.x1 + 1 and box.y0 >= edge.y0 - 1 and box.y1 <= edge.y1 + 1
            assert inside, f"{view}: {text.get_text()!r} runs off the chart ({box} outside {edge})"


def test_key_drivers_view_shows_the_selections_importance_grid_or_says_why_not(app, survey):
    app.view.value = "drivers"
    r26 = pl.select_period(survey.responses, "2026")
    people = pl.select_period(survey.respondents, "2026")
    expected = pl.importance_grid(pl.principle_scores(r26, scale=survey.scale), pl.key_drivers(r26, people))
    got = app.result.data
    pd.testing.assert_frame_equal(got.reset_index(drop=True), expected.reset_index(drop=True))
    drawn = {(round(float(x), 6), round(float(y), 6)) for coll in app.axes.collections for x, y in coll.get_offsets()}
    assert {
        (round(float(x), 6), round(100 * float(s), 6)) for x, s in zip(expected["stated"], expected["share"])
    } <= drawn
    app.filters["partner"].value = "Contoso Logistics"  # 29 people: fewer than the 30 a key-driver model needs
    assert app.result.data is None and "at least 30 people" in app.message.value


def test_selections_a_click_away_are_drawn_ahead_exactly_as_a_click_draws_them(survey, monkeypatch):
    """``prepare``: once the app has drawn ahead, a click to a neighbouring selection draws nothing (it sends the
    chart drawn ahead), and that chart is byte for byte the one a click on a new app draws."""
    app = Workshop(survey, period="2026", today=TODAY, prepare=True)
    try:
        assert app.prepared.wait(600), "drawing ahead did not finish"
        assert "partnerlib-prepared" in app.widget._dom_classes
        planned = app.plan()
        assert app._key(VIEWS["quadrant"], selection={"partner": "Contoso Logistics"}) in planned  # one click away
        assert app._key(VIEWS["trend"], view="trend") in planned  # another view
        drawn = []
        original = app._draw
        monkeypatch.setattr(app, "_draw", lambda *a, **k: drawn.append(a[0]) or original(*a, **k))
        app.filters["partner"].value = "Contoso Logistics"
        app.filters["role"].value = "Manager"  # two clicks away: drawn ahead too (every combination of filters)
        ahead = bytes(app.figure.value)
        assert drawn == []
    finally:
        app.stop()
    fresh = Workshop(survey, period="2026", today=TODAY)
    fresh.filters["partner"].value = "Contoso Logistics"
    fresh.filters["role"].value = "Manager"
    assert ahead == bytes(fresh.figure.value) and ahead


def test_a_click_stops_drawing_ahead_after_at_most_the_chart_being_drawn(survey):
    app = Workshop(survey, period="2026", today=TODAY)
    seen = []
    original = app._draw

    def draw(key, axes, **kwargs):
        seen.append(key)
        if len(seen) == 2:
            app.filters["partner"].value = "Northwind Health"  # the facilitator clicks meanwhile
        return original(key, axes, **kwargs)

    app._draw = draw
    assert app.prepare() is False
    assert len(seen) == 3  # the two drawn ahead, then the click's own chart; nothing after the click
    assert seen[2] == app._key(VIEWS["quadrant"])


def test_the_themes_view_counts_the_comments_of_organisations_with_enough_people_each_text_once(survey):
    app = Workshop(survey, period="2026", today=TODAY)
    app.view.value = "themes"
    comments = survey.comments[survey.comments["period"].astype(str) == "2026"]
    by_hand = comments.groupby(comments["partner"].astype(str)).size().to_dict()  # 39 and 29 people: both shown
    counts = app.result.data
    assert counts.groupby(counts["partner"].astype(str))["comments"].sum().to_dict() == by_hand
    assert set(counts["theme"].astype(str)) <= {*survey.codebook.principle_order, "other"}
    examples = app.result.examples
    assert examples["text"].is_unique  # identical comments are one example
    given = comments["text"].value_counts()
    most = given.index[0]
    assert given.iloc[0] > 1 and f"“{esc(most)}” <em>({given.iloc[0]} people)</em>" in app.examples.value
    assert app.figure.value and "What the comments are about" in app.message.value
    # executives: 4 at Contoso (no comment), 7 at Northwind in 2026: under the comments threshold (10), none shown
    app.filters["role"].value = "Executive"
    assert not app.result.shown
    assert "Comments of Northwind Health are not shown" in app.message.value
    assert "at least 10 of its people" in app.message.value
    shown_text = app.message.value + app.examples.value
    assert not any(esc(t) in shown_text for t in comments["text"])
    app.filters["role"].value = "All"
    app.filters["partner"].value = "Northwind Health"
    assert app.result.data["partner"].astype(str).unique().tolist() == ["Northwind Health"]


def test_the_themes_view_shows_hostile_comments_as_text(survey):
    hostile = ["<script>alert(1)</script>", "[x](javascript:alert(1))"]
    comments = survey.comments.copy()
    rows = comments.index[comments["period"].astype(str) == "2026"]
    comments.loc[rows[:5], "text"] = hostile[0]  # the most frequent comments: among the examples
    comments.loc[rows[5:9], "text"] = hostile[1]
    app = Workshop(dataclasses.replace(survey, comments=comments), period="2026", today=TODAY)
    app.view.value = "themes"
    html = app.examples.value
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "<script" not in html
    assert "“&lt;script&gt;alert(1)&lt;/script&gt;” <em>(5 people)</em>" in html
    assert "[x](javascript:alert(1))" in html and "<a " not in html
