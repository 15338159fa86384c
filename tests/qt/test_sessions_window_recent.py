"""Sessions in the window: File ▸ Open Recent, newest first, and files gone since."""

from __future__ import annotations

from pathlib import Path

from sessions_helpers import assert_same_state, shown_title

from explainer.model import AttentionModel
from explainer.qt.sessions import MAX_RECENT
from explainer.session import load_session, save_session


# ---------------------------------------------------------------------------- recent files
def test_recent_files_newest_first_without_repeats(window, tmp_path, monkeypatch):
    win = window()
    paths = [tmp_path / f"talk{k}.attn.json" for k in range(MAX_RECENT + 3)]
    for path in paths:
        assert win.session.save_as(path)
    assert win.session.open(paths[2])
    recent = win.session.recent()
    assert recent[0] == paths[2].resolve()
    assert recent[1] == paths[-1].resolve()
    assert len(recent) <= MAX_RECENT
    assert len(set(recent)) == len(recent)

    monkeypatch.chdir(tmp_path)
    assert win.session.save_as(Path("relative.attn.json"))
    assert win.session.recent()[0] == tmp_path.resolve() / "relative.attn.json"


def test_open_recent_menu_lists_and_opens_the_files(window, tmp_path):
    win = window()
    first, second = tmp_path / "first.attn.json", tmp_path / "second.attn.json"
    save_session(first, AttentionModel.from_preset("seed-cross"))
    assert win.session.save_as(second)
    assert win.session.open(first)
    win.recent_menu.aboutToShow.emit()
    labels = [action.text() for action in win.recent_menu.actions()]
    assert labels[:2] == [str(first.resolve()), str(second.resolve())]
    win.recent_menu.actions()[1].trigger()
    assert shown_title(win) == "Attention Explainer — second.attn.json"

    second.unlink()  # gone since: the menu still lists it, and opening it says so
    win.recent_menu.aboutToShow.emit()
    actions = {action.text(): action for action in win.recent_menu.actions()}
    actions[str(first.resolve())].trigger()
    assert_same_state(win.model.state, load_session(first)[0].model.state)
    assert win.document.source is None  # saved from a bare model: no source
    assert shown_title(win) == "Attention Explainer — first.attn.json"
    actions[str(second.resolve())].trigger()
    assert len(win.messages) == 1 and "second.attn.json" in win.messages[0]
    assert shown_title(win) == "Attention Explainer — first.attn.json"
