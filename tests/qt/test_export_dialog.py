"""File ▸ Export animation… and File ▸ Export still…, used as a lecturer would (pytest-qt)."""

from __future__ import annotations

import zipfile
from pathlib import Path

import numpy as np
import pytest
from helpers import click, focused
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QMessageBox, QProgressDialog, QPushButton

from explainer.export import frame_state, frame_states, frame_times, probe, select_steps
from explainer.qt import export_dialog
from explainer.qt.export_dialog import ExportDialog, run_with_progress
from explainer.qt.export_job import ExportOptions
from explainer.qt.offscreen import FrameRenderer


@pytest.fixture
def warnings(monkeypatch) -> list[str]:
    """QMessageBox.warning recorded instead of shown: a modal box would block the test."""
    shown: list[str] = []

    def warning(parent, title, text, *args, **kwargs):
        shown.append(text)
        return QMessageBox.StandardButton.Ok

    monkeypatch.setattr(export_dialog.QMessageBox, "warning", warning)
    return shown


class Asked(list):
    """The questions asked, and the replies queued for the next ones."""

    def __init__(self) -> None:
        super().__init__()
        self.replies: list[QMessageBox.StandardButton] = []


@pytest.fixture
def answer(monkeypatch) -> Asked:
    """Answers 'Replace it?' with the queued ``answer.replies``; records the questions."""
    asked = Asked()

    def question(parent, title, text, *args, **kwargs):
        asked.append(text)
        return asked.replies.pop(0)

    monkeypatch.setattr(export_dialog.QMessageBox, "question", question)
    return asked


def frame_count(window, options: ExportOptions) -> int:
    with FrameRenderer(window.model, size=options.size, detail=options.detail) as renderer:
        indices = select_steps(renderer.timeline, options.steps)
        return len(frame_times(renderer.timeline, indices, options.fps))


def rgb_array(image: QImage) -> np.ndarray:
    image = image.convertToFormat(QImage.Format.Format_RGB888)
    rows = np.frombuffer(image.constBits(), np.uint8).reshape(image.height(), image.bytesPerLine())
    return rows[:, : image.width() * 3].reshape(image.height(), image.width(), 3).copy()


def read_png(path: Path) -> np.ndarray:
    image = QImage(str(path))
    assert not image.isNull(), path
    return rgb_array(image)


def open_dialog(window) -> ExportDialog:
    """File ▸ Export animation…'s dialog on the window's model and view; "Wrote …" goes to its status bar."""
    return ExportDialog(window, window.document, window.on_screen, window.statusBar().showMessage)


def run_export(window, path: Path, options: ExportOptions) -> bool:
    """``run_with_progress`` as the window runs it: its model, its status bar."""
    return run_with_progress(window, window.model, path, options, window.statusBar().showMessage)


def small_dialog(window, path: Path) -> ExportDialog:
    """The dialog filled in: ``path``, 320x240, step 2 only, 5 fps."""
    dialog = open_dialog(window)
    dialog.path.setText(str(path))
    dialog.size_box.setEditText("320x240")
    dialog.first.setValue(2)
    dialog.last.setValue(2)
    dialog.fps.setValue(5)
    return dialog


def click_export(qtbot, dialog: ExportDialog) -> None:
    buttons = dialog.findChild(QDialogButtonBox)
    button = buttons.button(QDialogButtonBox.StandardButton.Ok)
    assert button.text() == "Export"
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def test_export_button_writes_the_video_with_the_chosen_options(open_window, qtbot, tmp_path, warnings):
    window = open_window()
    dialog = small_dialog(window, tmp_path / "a.mp4")
    qtbot.addWidget(dialog)
    options = dialog.options()
    assert (options.size, options.steps, options.fps) == ((320, 240), "2-2", 5)
    click_export(qtbot, dialog)
    assert warnings == []
    info = probe(tmp_path / "a.mp4")
    assert info["frames"] == frame_count(window, options) == 14  # 2.5 s at 5 fps, and the last frame
    assert (info["width"], info["height"]) == (320, 240)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.mp4"]
    assert dialog.result() == ExportDialog.DialogCode.Accepted
    assert "a.mp4" in window.statusBar().currentMessage()


def test_dialog_defaults_follow_the_window(open_window, qtbot):
    window = open_window("seed-causal")
    window.player.set_detail("rows")
    window.focus.set(head=1)
    dialog = open_dialog(window)
    qtbot.addWidget(dialog)
    steps = len(window.player.timeline.steps)
    assert (dialog.first.value(), dialog.last.value()) == (1, steps)
    options = dialog.options()
    assert options.detail == "rows"
    assert options.head is None  # each step shows its own head, as when the window plays
    assert options.theme == "light"
    assert options.layout == tuple(dialog.panels)


def test_a_range_over_both_heads_shows_each_steps_head(open_window, qtbot, tmp_path, warnings):
    # As the window plays, each step shows its own head: the export must too, whatever
    # head the window happens to show when the dialog opens.
    window = open_window("seed-causal")
    window.player.go_to_step(4)
    assert window.focus.head == 0
    steps = window.player.timeline.steps
    assert (steps[38].head, steps[39].head) == (0, 1)  # step 39 ends head 1, step 40 starts head 2
    dialog = small_dialog(window, tmp_path / "heads.zip")
    qtbot.addWidget(dialog)
    dialog.first.setValue(39)
    dialog.last.setValue(40)
    dialog.fps.setValue(1)
    click_export(qtbot, dialog)
    assert warnings == []
    with zipfile.ZipFile(tmp_path / "heads.zip") as archive:
        last = archive.namelist()[-1]
        archive.extract(last, tmp_path)
    options = dialog.options()
    with FrameRenderer(window.model, size=options.size, detail=options.detail) as renderer:
        timeline = renderer.timeline
        # Played through, as the export does (the lit query carries over from step 39).
        expected = [renderer.render(state) for state in frame_states(timeline, range(38, 40), 1)][-1]
        assert "head 2" in renderer.board.panels["scores"].matrix.title
    np.testing.assert_array_equal(read_png(tmp_path / last), expected)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d.size_box.setEditText("abc"), "size: expected 720p, 1080p, 4k or WxH"),
        (lambda d: d.size_box.setEditText("321x240"), "even width and height"),
        (lambda d: d.path.setText(str(Path(d.path.text()).with_suffix(".avi"))), "unsupported extension"),
        (lambda d: d.path.setText(str(Path(d.path.text()).with_suffix(".png"))), "Export still"),
        (lambda d: [box.setChecked(False) for box in d.panels.values()], "at least one panel"),
        (lambda d: (d.last.setValue(3), d.first.setValue(5)), "comes after the last"),
    ],
)
def test_a_bad_option_is_shown_in_the_dialog_and_nothing_is_written(
    open_window, qtbot, tmp_path, warnings, change, message
):
    window = open_window()
    dialog = small_dialog(window, tmp_path / "a.mp4")
    qtbot.addWidget(dialog)
    change(dialog)
    click_export(qtbot, dialog)
    shown = dialog.message.text() or " ".join(warnings)
    assert message in shown
    assert list(tmp_path.iterdir()) == []
    assert dialog.result() != ExportDialog.DialogCode.Accepted


def test_existing_file_is_replaced_only_after_yes(open_window, tmp_path, warnings, answer):
    window = open_window()
    target = tmp_path / "a.gif"
    target.write_bytes(b"old")
    options = ExportOptions(size=(320, 240), fps=2, steps="2-2")

    answer.replies.append(QMessageBox.StandardButton.No)
    assert run_export(window, target, options) is False
    assert len(answer) == 1 and "a.gif" in answer[0]
    assert target.read_bytes() == b"old"
    assert window.statusBar().currentMessage() == ""  # nothing written, nothing said

    answer.replies.append(QMessageBox.StandardButton.Yes)
    assert run_export(window, target, options) is True
    assert len(answer) == 2
    assert probe(target)["frames"] == 6
    assert window.statusBar().currentMessage() == f"Wrote {target}"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.gif"]
    assert warnings == []


def test_a_new_file_is_written_without_asking(open_window, tmp_path, warnings, answer):
    window = open_window()
    assert run_export(window, tmp_path / "b.mp4", ExportOptions(size=(320, 240), fps=2, steps="2-2"))
    assert answer == []
    assert probe(tmp_path / "b.mp4")["frames"] == 6
    assert window.statusBar().currentMessage() == f"Wrote {tmp_path / 'b.mp4'}"


@pytest.mark.parametrize("name", ["a.mp4", "a.zip", "frames"])
def test_cancel_in_the_progress_dialog_leaves_no_file(open_window, tmp_path, monkeypatch, warnings, name):
    window = open_window()
    seen: list[int] = []

    class CancelAtThree(QProgressDialog):
        def setValue(self, value: int) -> None:
            super().setValue(value)
            seen.append(value)
            if value == 3:  # the lecturer clicks Cancel while frame 4 is due
                [button] = self.findChildren(QPushButton)
                assert button.text() == "Cancel"
                button.click()

    monkeypatch.setattr(export_dialog, "QProgressDialog", CancelAtThree)
    options = ExportOptions(size=(320, 240), fps=5, steps="2-3")
    assert run_export(window, tmp_path / name, options) is False
    assert seen == [1, 2, 3]
    assert list(tmp_path.iterdir()) == []
    assert warnings == []
    assert window.statusBar().currentMessage() == ""


def test_cancel_leaves_the_existing_file_untouched(open_window, tmp_path, monkeypatch, warnings, answer):
    window = open_window()
    target = tmp_path / "a.mp4"
    target.write_bytes(b"old")

    class CancelAtOnce(QProgressDialog):
        def setValue(self, value: int) -> None:
            super().setValue(value)
            self.cancel()

    monkeypatch.setattr(export_dialog, "QProgressDialog", CancelAtOnce)
    answer.replies.append(QMessageBox.StandardButton.Yes)
    assert run_export(window, target, ExportOptions(size=(320, 240), fps=5, steps="2-3")) is False
    assert target.read_bytes() == b"old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.mp4"]


def test_a_failing_export_is_reported_and_writes_nothing(open_window, tmp_path, monkeypatch, warnings):
    window = open_window()
    script = tmp_path / "ffmpeg"
    script.write_text("#!/bin/sh\necho 'no encoder here' >&2\nexit 1\n")
    script.chmod(0o755)
    monkeypatch.setenv("IMAGEIO_FFMPEG_EXE", str(script))
    out = tmp_path / "out"
    out.mkdir()
    assert run_export(window, out / "a.mp4", ExportOptions(size=(320, 240), fps=5, steps="2-2")) is False
    assert len(warnings) == 1
    assert "Nothing was written" in warnings[0] and "no encoder here" in warnings[0]
    assert list(out.iterdir()) == []
    assert window.statusBar().currentMessage() == ""


def test_export_still_writes_the_current_step_as_shown(open_window, tmp_path, monkeypatch, warnings):
    window = open_window()
    window.player.go_to_step(11)
    index = window.player.index
    assert index == 11
    target = tmp_path / "still.png"
    monkeypatch.setattr(
        export_dialog.QFileDialog,
        "getSaveFileName",
        lambda *args, **kwargs: (str(target), export_dialog.STILL_FILTER.split(";;")[0]),
    )
    window.export_still()
    assert warnings == []
    assert sorted(p.name for p in tmp_path.iterdir()) == ["still.png"]
    assert window.statusBar().currentMessage() == f"Wrote {target}"
    still = read_png(target)
    width, height = window.board.width() // 2 * 2, window.board.height() // 2 * 2
    assert still.shape == (height, width, 3)
    with FrameRenderer(
        window.model,
        size=(width, height),
        detail=window.player.timeline.detail,
        head=window.focus.head,
        lesson=window.document.lesson,  # the same worked query and first-step lesson
    ) as renderer:
        timeline = renderer.timeline
        expected = renderer.render(frame_state(timeline, timeline.start(index + 1), range(index, index + 1)))
    np.testing.assert_array_equal(still, expected)


PARTS = [
    "caption",
    "embeddings",
    "projections",
    "scores",
    "softmax",
    "weighted_sum",
]


def even_board(window) -> None:
    """The still is cut to even sides: give the board even sides so the layouts match."""
    if window.board.height() % 2:
        window.resize(window.width(), window.height() + 1)
        QApplication.processEvents()
    assert window.board.height() % 2 == 0 and window.board.width() % 2 == 0


def assert_still_as_seen(window, still: np.ndarray, part: str) -> None:
    """The still shows ``part`` as the window does, up to anti-aliasing at a few edges."""
    seen = rgb_array(window.grab().toImage())  # what the user sees: the window itself
    widget = window.board.caption if part == "caption" else window.board.panels[part]
    at = widget.mapTo(window, QPoint(0, 0))
    inside = widget.mapTo(window.board, QPoint(0, 0))
    height, width = widget.height(), widget.width()
    on_screen = seen[at.y() : at.y() + height, at.x() : at.x() + width].astype(int)
    exported = still[inside.y() : inside.y() + height, inside.x() : inside.x() + width].astype(int)
    assert exported.shape == on_screen.shape
    differ = np.abs(exported - on_screen).sum(axis=2) > 12
    assert differ.mean() < 0.002, f"{differ.mean():.2%} of the {part} panel differs"


def save_still_as(monkeypatch, target: Path) -> None:
    monkeypatch.setattr(export_dialog.QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))


@pytest.mark.parametrize("theme", ["light", "dark"])
@pytest.mark.parametrize("part", PARTS)
def test_export_still_looks_like_the_window(open_window, tmp_path, monkeypatch, warnings, theme, part):
    window = open_window(theme=theme)
    even_board(window)
    window.player.go_to_step(11)
    save_still_as(monkeypatch, tmp_path / "still.png")
    window.export_still()
    assert_still_as_seen(window, read_png(tmp_path / "still.png"), part)


def test_export_still_keeps_the_cell_the_lecturer_clicked(
    open_window, qtbot, tmp_path, monkeypatch, warnings
):
    window = open_window("seed-causal")
    even_board(window)
    window.player.go_to_step(17)  # head 1, a softmax step
    scores = window.board.panels["scores"]
    click(qtbot, scores, scores.matrix, (4, 2), focus=(4, 2))
    qtbot.mouseMove(window.board.caption)  # the pointer leaves the panels; the click stays
    QApplication.processEvents()
    assert focused(window) == (4, 2)
    save_still_as(monkeypatch, tmp_path / "still.png")
    window.export_still()
    still = read_png(tmp_path / "still.png")
    for part in window.board.panels:
        if window.board.panels[part].isVisible():
            assert_still_as_seen(window, still, part)


@pytest.mark.parametrize(
    ("typed", "chosen", "written"),
    [
        ("slide3", "PNG image (*.png)", "slide3.png"),
        ("slide3", "SVG vector image (*.svg)", "slide3.svg"),
        ("slide3.SVG", "PNG image (*.png)", "slide3.SVG"),
    ],
)
def test_export_still_writes_one_image_whatever_the_name_typed(
    open_window, tmp_path, monkeypatch, warnings, typed, chosen, written
):
    # The file dialog adds no extension: a bare name must still give one image, not a
    # folder with every frame of the walkthrough.
    window = open_window()
    window.player.go_to_step(5)
    monkeypatch.setattr(
        export_dialog.QFileDialog, "getSaveFileName", lambda *a, **k: (str(tmp_path / typed), chosen)
    )
    window.export_still()
    assert warnings == []
    assert [p.name for p in tmp_path.iterdir()] == [written]
    data = (tmp_path / written).read_bytes()
    assert data.startswith(b"\x89PNG") if written.endswith(".png") else b"<svg" in data


def test_export_still_refuses_a_video_name(open_window, tmp_path, monkeypatch, warnings):
    window = open_window()
    monkeypatch.setattr(
        export_dialog.QFileDialog, "getSaveFileName", lambda *a, **k: (str(tmp_path / "a.mp4"), "")
    )
    window.export_still()
    assert len(warnings) == 1 and ".png or .svg" in warnings[0]
    assert list(tmp_path.iterdir()) == []


def test_export_still_cancelled_in_the_file_dialog_writes_nothing(open_window, tmp_path, monkeypatch):
    window = open_window()
    monkeypatch.setattr(export_dialog.QFileDialog, "getSaveFileName", lambda *a, **k: ("", ""))
    window.export_still()
    assert list(tmp_path.iterdir()) == []


def test_file_menu_opens_the_export_dialog(open_window, monkeypatch):
    window = open_window()
    opened: list[ExportDialog] = []

    def exec_(self) -> int:
        opened.append(self)
        return 0

    monkeypatch.setattr(ExportDialog, "exec", exec_)
    [action] = [a for a in window.actions() if a.text().replace("&", "") == "Export animation…"]
    action.trigger()
    assert len(opened) == 1 and opened[0].parent() is window
    assert opened[0].model is window.model  # it exports the window's numbers
    opened[0].deleteLater()


def test_what_export_may_not_replace_is_refused_without_asking(open_window, tmp_path, warnings, answer):
    # Issue 15, defect 1: only what this app writes may be replaced; asking "Replace it?" first would mislead.
    window = open_window()
    notes = tmp_path / "notes"
    notes.write_text("my notes")
    assert run_export(window, notes, ExportOptions(size=(320, 240), fps=2, steps="2-2")) is False
    assert list(answer) == []
    assert len(warnings) == 1 and "notes is a file, not a folder of frames" in warnings[0]
    assert notes.read_text() == "my notes"
