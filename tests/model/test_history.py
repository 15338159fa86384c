"""History: undo / redo of model snapshots, groups, caps, no Qt."""

import numpy as np
import pytest

from explainer.model import AttentionModel, History


@pytest.fixture
def model():
    return AttentionModel(["a", "b", "c"], d_model=4, d_k=2, seed=1)


@pytest.fixture
def history(model):
    history = History(model)
    yield history
    history.close()


def test_starts_empty(history):
    assert not history.can_undo
    assert not history.can_redo
    assert history.undo() is False
    assert history.redo() is False


def test_undo_and_redo_one_edit(model, history):
    before = model.params["w_q"][0, 1, 1]
    model.set_value("w_q", (0, 1, 1), 0.5)
    assert history.can_undo and not history.can_redo
    assert history.undo() is True
    assert model.params["w_q"][0, 1, 1] == before
    assert history.can_redo and not history.can_undo
    assert history.redo() is True
    assert model.params["w_q"][0, 1, 1] == 0.5
    assert history.can_undo and not history.can_redo


def test_undo_redo_do_not_record_themselves(model, history):
    model.set_value("b_o", (0,), 1.0)
    model.set_value("b_o", (0,), 2.0)
    history.undo()
    history.undo()
    assert model.params["b_o"][0] == 0.0
    assert (history.undo_count, history.redo_count) == (0, 2)
    history.redo()
    assert model.params["b_o"][0] == 1.0
    assert (history.undo_count, history.redo_count) == (1, 1)


def test_a_new_edit_clears_redo(model, history):
    model.set_value("b_o", (0,), 1.0)
    history.undo()
    model.set_value("b_o", (1,), 3.0)
    assert not history.can_redo


def test_an_edit_that_changes_nothing_records_nothing(model, history):
    model.set_value("b_o", (0,), model.params["b_o"][0])
    model.set_tokens(model.query_tokens)
    assert not history.can_undo


def test_tokens_options_and_sizes_are_undone(model, history):
    model.set_tokens(["x", "y"], ["p", "q", "r"])
    model.set_options(scale=False)
    model.set_dims(d_k=3)
    assert (model.d_k, model.scale, model.mode) == (3, False, "cross")
    history.undo()
    history.undo()
    history.undo()
    assert (model.d_k, model.scale, model.mode) == (2, True, "self")
    assert model.query_tokens == ["a", "b", "c"]


def test_a_group_is_one_entry(model, history):
    with history.group():
        for step in range(10):
            model.set_value("w_k", (0, 0, 0), step / 10)
    assert history.undo_count == 1
    history.undo()
    assert not history.can_undo
    assert model.params["w_k"][0, 0, 0] != 0.9


def test_nested_groups_record_once_at_the_outer_end(model, history):
    history.begin_group()
    model.set_value("b_o", (0,), 1.0)
    with history.group():
        model.set_value("b_o", (1,), 1.0)
    assert history.undo_count == 1  # the open group counts as one pending entry
    model.set_value("b_o", (2,), 1.0)
    history.end_group()
    assert history.undo_count == 1
    history.undo()
    assert np.all(model.params["b_o"] == 0.0)


def test_a_group_that_ends_where_it_started_records_nothing(model, history):
    start = model.params["b_o"][0]
    with history.group():
        model.set_value("b_o", (0,), 5.0)
        model.set_value("b_o", (0,), start)
    assert not history.can_undo


def test_undo_inside_an_open_group_closes_it_first(model, history):
    history.begin_group()
    model.set_value("b_o", (0,), 1.0)
    assert history.undo() is True
    assert model.params["b_o"][0] == 0.0
    history.end_group()  # the late, unmatched end does nothing
    assert history.can_redo


def test_changed_signal_follows_can_undo(model, history):
    seen = []
    history.changed.connect(lambda: seen.append((history.can_undo, history.can_redo)))
    model.set_value("b_o", (0,), 1.0)
    history.undo()
    history.redo()
    assert seen == [(True, False), (False, True), (True, False)]


def test_clear_forgets_everything(model, history):
    model.set_value("b_o", (0,), 1.0)
    history.undo()
    model.set_value("b_o", (1,), 1.0)
    history.clear()
    assert not history.can_undo and not history.can_redo
    model.set_value("b_o", (2,), 1.0)
    history.undo()
    assert model.params["b_o"][1] == 1.0  # the cleared start is where undo stops


def test_the_count_cap_drops_the_oldest(model):
    history = History(model, limit=3)
    for value in range(1, 6):
        model.set_value("b_o", (0,), float(value))
    assert history.undo_count == 3
    while history.undo():
        pass
    assert model.params["b_o"][0] == 2.0
    history.close()


def test_the_byte_budget_drops_the_oldest_but_keeps_one(model):
    history = History(model, max_bytes=1)
    model.set_value("b_o", (0,), 1.0)
    model.set_value("b_o", (0,), 2.0)
    assert history.undo_count == 1
    history.undo()
    assert model.params["b_o"][0] == 1.0
    history.close()


def test_an_entry_keeps_the_edited_cells_not_the_arrays(model, history):
    model.set_value("w_q", (0, 1, 1), 1.0)
    model.set_value("b_o", (0,), 2.0)
    first, second = history._undo
    assert (first.cells.keys(), second.cells.keys()) == ({"w_q"}, {"b_o"})
    assert first.cells["w_q"].positions.tolist() == [3]  # (0, 1, 1) in a 4 × 2 head
    assert not first.earlier.params and not second.earlier.params
    before = model.state
    history.undo()
    assert model.params["w_q"] is before.params["w_q"]  # unchanged by this step: shared
    assert model.params["b_o"][0] == 0.0 and model.params["x_kv"] is model.params["x_q"]


def test_a_thousand_edits_at_the_model_limits_stay_undoable():
    """One cell of an 8 MB W_Q per edit: each entry keeps a cell, not a copy of W_Q."""
    big = AttentionModel(["a", "b"], d_model=1024, d_k=64, n_heads=16)
    history = History(big, limit=1000)
    start = big.params["w_q"].copy()
    for k in range(1000):
        big.set_value("w_q", (k % 16, k, 0), float(k % 7) + 0.5)
    assert history.undo_count == 1000
    while history.undo():
        pass
    np.testing.assert_array_equal(big.params["w_q"], start)
    history.close()


def test_bad_limits_are_refused(model):
    with pytest.raises(ValueError, match="limit"):
        History(model, limit=0)
    with pytest.raises(ValueError, match="max_bytes"):
        History(model, max_bytes=-1)


def test_close_stops_recording(model):
    history = History(model)
    history.close()
    model.set_value("b_o", (0,), 1.0)
    assert not history.can_undo


def test_undo_of_randomize_restores_the_seed(model, history):
    before = model.state
    model.randomize(7)
    assert (model.seed, model.state.seed) == (7, 7)
    assert not np.array_equal(model.params["w_q"], before.params["w_q"])
    assert history.undo() is True
    assert model.seed == 1
    assert model.state.same_as(before)
    assert history.redo() is True
    assert model.seed == 7
    drawn = AttentionModel(["z"], d_model=4, d_k=2, seed=7).params["w_q"]
    np.testing.assert_array_equal(model.params["w_q"], drawn)
    history.undo()
    # The restored seed is the one that embeds a new token, as if randomize never happened.
    model.set_tokens(["a", "b", "c", "tea"])
    np.testing.assert_array_equal(
        model.params["x_q"][3], AttentionModel(["tea"], d_model=4, d_k=2, seed=1).params["x_q"][0]
    )


def test_undo_of_new_sizes_with_a_seed_restores_both(model, history):
    model.set_dims(d_model=6, n_heads=2, seed=9)
    assert (model.d_model, model.n_heads, model.seed) == (6, 2, 9)
    history.undo()
    assert (model.d_model, model.n_heads, model.seed) == (4, 1, 1)


def test_randomize_with_the_same_seed_records_only_a_change(model, history):
    model.randomize(1)  # the seed it has and its untouched weights: nothing to undo
    assert not history.can_undo
    model.set_value("w_q", (0, 0, 0), 5.0)
    model.randomize(1)  # draws the seed's weights again over the edit
    assert model.params["w_q"][0, 0, 0] != 5.0
    assert history.undo_count == 2
    history.undo()
    assert (model.params["w_q"][0, 0, 0], model.seed) == (5.0, 1)


def test_an_edit_shares_the_parameters_it_did_not_change() -> None:
    # One cell of a big model must not copy the other parameters (34 MB at the limits);
    # sharing is safe because every parameter array is frozen.
    model = AttentionModel(["a", "b", "c"], d_model=16, n_heads=2)
    before = model.params
    model.set_value("w_q", (1, 3, 2), 0.5)
    after = model.params
    assert after["w_q"] is not before["w_q"] and not after["w_q"].flags.writeable
    assert all(after[name] is before[name] for name in after if name != "w_q")
    model.set_tokens(["a", "b", "d"])
    assert model.params["w_k"] is after["w_k"] and model.params["x_q"] is not after["x_q"]


def _same_bits(a, b) -> bool:
    return a.same_as(b) and all(a.params[n].tobytes() == b.params[n].tobytes() for n in a.params)


@pytest.mark.parametrize("how", ["history.group", "model.batch"])
def test_undo_after_an_edit_that_ends_on_minus_zero_brings_back_the_earlier_bits(how):
    """A drag ending at round(-4e-5, 4) = -0.0 changes nothing the history records; undo is still exact."""
    model = AttentionModel(["a", "b"], d_model=4, d_k=2, n_heads=2)
    history = History(model)
    before = model.state
    model.set_value("w_q", (0, 0, 0), 0.5)
    with history.group() if how == "history.group" else model.batch():
        model.set_value("b_k", (0, 0), 0.3)
        model.set_value("b_k", (0, 0), -0.0)
    history.undo()
    assert _same_bits(model.state, before)
    history.close()


def test_a_view_that_fails_once_costs_no_undo_entry():
    """A listener raising before the history hears of a change: the next undo still goes back."""
    model = AttentionModel(["a", "b", "c"], d_model=4, d_k=2)
    history = History(model)
    before = model.state
    model.set_value("x_q", (2, 3), 9.0)

    def broken_view(_trace):
        raise RuntimeError("a view's bug")

    model.changed.disconnect(history._on_model_changed)  # as in the window: views connect first
    model.changed.connect(broken_view)
    model.changed.connect(history._on_model_changed)
    with pytest.raises(Exception, match="a view's bug"):  # psygnal wraps it in an EmitLoopError
        model.set_tokens(["a", "b"])
    model.changed.disconnect(broken_view)
    assert history.undo()  # the last entry it heard of: the edit of X, from where it was made
    assert model.state.same_as(before)
    history.close()


def test_redo_keeps_cells_too_within_the_budget():
    model = AttentionModel(["a", "b"], d_model=512, d_k=64, n_heads=8)  # W_Q: 2 MB
    history = History(model, max_bytes=16 * 1024 * 1024)
    for value in range(60):
        model.set_value("w_q", (0, 0, 0), float(value + 1))
    while history.undo():
        pass
    assert history.redo_count == 60
    assert sum(entry.nbytes for entry in history._redo) < 10_000  # cells, not 60 copies of W_Q
    while history.redo():
        pass
    assert model.params["w_q"][0, 0, 0] == 60.0
    history.close()
