"""File ▸ Export animation… and File ▸ Export still…, used as a lecturer would (pytest-qt)."""

from __future__ import annotations

import zipfile
from pathlib import Path

import numpy as np
import pytest
from helpers import click, focused
from PIL import Image
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QImage
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QMessageBox,
    QProgressDialog,
    QPushButton,
)

from explainer.export import FrameSchedule, Pacing, frame_state, frame_states, probe, select_steps
from explainer.qt import export_dialog, export_progress
from explainer.qt.export_dialog import ExportDialog, StillDialog, run_with_progress
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
        return FrameSchedule(renderer.timeline, indices, options.fps, options.pacing).frames


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
    assert options.pacing == Pacing(final_hold=2)  # the last frame held 2 s by default
    click_export(qtbot, dialog)
    assert warnings == []
    info = probe(tmp_path / "a.mp4")
    assert info["frames"] == frame_count(window, options) == 13 + 10  # 2.5 s at 5 fps, then 2 s held
    assert (info["width"], info["height"]) == (320, 240)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.mp4"]
    assert dialog.result() == ExportDialog.DialogCode.Accepted
    assert "a.mp4" in window.statusBar().currentMessage()


def test_dialog_defaults_follow_the_window(open_window, qtbot):
    window = open_window("seed-causal")
    window.player.set_detail("rows")
    window.player.set_speed(0.5)
    window.focus.set(head=1)
    dialog = open_dialog(window)
    qtbot.addWidget(dialog)
    steps = len(window.player.timeline.steps)
    assert (dialog.first.value(), dialog.last.value()) == (1, steps)
    options = dialog.options()
    assert options.detail == "rows"
    assert options.pacing == Pacing(speed=0.5, final_hold=2)  # played at the window's speed
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

    monkeypatch.setattr(export_progress, "QProgressDialog", CancelAtThree)
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

    monkeypatch.setattr(export_progress, "QProgressDialog", CancelAtOnce)
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


def save_still_as(monkeypatch, target: Path, size: str | None = None) -> list[StillDialog]:
    """File ▸ Export still…'s dialog answered: ``target`` typed, ``size`` ("1920×1080") chosen, Export."""
    opened: list[StillDialog] = []

    def exec_(dialog: StillDialog) -> int:
        opened.append(dialog)
        dialog.path.setText(str(target))
        if size is not None:
            dialog.size_box.setCurrentIndex(dialog.size_box.findText(size, Qt.MatchFlag.MatchStartsWith))
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(StillDialog, "exec", exec_)
    return opened


def test_export_still_writes_the_current_step_at_the_chosen_16_9_size(
    open_window, tmp_path, monkeypatch, warnings
):
    window = open_window()
    window.player.go_to_step(11)
    index = window.player.index
    assert index == 11
    target = tmp_path / "still.png"
    save_still_as(monkeypatch, target, "1920×1080")
    window.export_still()
    assert warnings == []
    assert sorted(p.name for p in tmp_path.iterdir()) == ["still.png"]
    assert window.statusBar().currentMessage() == f"Wrote {target}"
    still = read_png(target)
    assert still.shape == (1080, 1920, 3)  # a slide's size, not the window's
    with FrameRenderer(
        window.model,
        size=(1920, 1080),
        detail=window.player.timeline.detail,
        head=window.focus.head,
        lesson=window.document.lesson,  # the same worked query and first-step lesson
        view="overview",  # the window's view: a still shows what the window shows
    ) as renderer:
        timeline = renderer.timeline
        expected = renderer.render(frame_state(timeline, timeline.start(index + 1), range(index, index + 1)))
    np.testing.assert_array_equal(still, expected)


@pytest.mark.parametrize(("board", "default"), [((1280, 760), (1280, 720)), ((1880, 1006), (1920, 1080))])
def test_the_still_size_defaults_to_the_16_9_size_nearest_the_window(qapp, board, default):
    dialog = StillDialog(None, board)
    assert dialog.still_size() == default
    sizes = [dialog.size_box.itemText(i) for i in range(dialog.size_box.count())]
    assert sizes == ["1280×720 (720p)", "1920×1080 (1080p)", "3840×2160 (4k)"]
    assert "16:9" in dialog.size_box.toolTip()
    dialog.deleteLater()


PARTS = [
    "caption",
    "embeddings",
    "projections",
    "scores",
    "softmax",
    "weighted_sum",
]


def board_of_size(window, width: int, height: int) -> None:
    """Resize the window so that its board is ``width`` x ``height``: the still is then laid out as it."""
    for _ in range(3):
        QApplication.processEvents()
        dw, dh = width - window.board.width(), height - window.board.height()
        if (dw, dh) == (0, 0):
            return
        window.resize(window.width() + dw, window.height() + dh)
    QApplication.processEvents()
    assert (window.board.width(), window.board.height()) == (width, height)


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


@pytest.mark.parametrize("theme", ["light", "dark"])
@pytest.mark.parametrize("part", PARTS)
def test_export_still_looks_like_the_window(open_window, tmp_path, monkeypatch, warnings, theme, part):
    # With the board at a slide's size on screen, the still at that size is what the window shows.
    window = open_window(theme=theme)
    board_of_size(window, 1280, 720)
    window.player.go_to_step(11)
    save_still_as(monkeypatch, tmp_path / "still.png", "1280×720")
    window.export_still()
    assert_still_as_seen(window, read_png(tmp_path / "still.png"), part)


def test_export_still_keeps_the_cell_the_lecturer_clicked(
    open_window, qtbot, tmp_path, monkeypatch, warnings
):
    window = open_window("seed-causal")
    board_of_size(window, 1280, 720)
    window.player.go_to_step(17)  # head 1, a softmax step
    scores = window.board.panels["scores"]
    click(qtbot, scores, scores.matrix, (4, 2), focus=(4, 2))
    qtbot.mouseMove(window.board.caption)  # the pointer leaves the panels; the click stays
    QApplication.processEvents()
    assert focused(window) == (4, 2)
    save_still_as(monkeypatch, tmp_path / "still.png", "1280×720")
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
def test_export_still_writes_one_image_whatever_the_name_browsed(
    open_window, tmp_path, monkeypatch, warnings, typed, chosen, written
):
    # The file dialog adds no extension: a bare name must still give one image, not a
    # folder with every frame of the walkthrough.
    window = open_window()
    window.player.go_to_step(5)
    monkeypatch.setattr(
        export_dialog.QFileDialog, "getSaveFileName", lambda *a, **k: (str(tmp_path / typed), chosen)
    )

    def exec_(dialog: StillDialog) -> int:
        [browse] = [b for b in dialog.findChildren(QPushButton) if b.text() == "Browse…"]
        browse.click()
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(StillDialog, "exec", exec_)
    window.export_still()
    assert warnings == []
    assert [p.name for p in tmp_path.iterdir()] == [written]
    data = (tmp_path / written).read_bytes()
    assert data.startswith(b"\x89PNG") if written.endswith(".png") else b"<svg" in data


def test_a_still_name_typed_without_extension_is_a_png(open_window, tmp_path, monkeypatch, warnings):
    window = open_window()
    save_still_as(monkeypatch, tmp_path / "slide4", "1280×720")
    window.export_still()
    assert [p.name for p in tmp_path.iterdir()] == ["slide4.png"]
    with Image.open(tmp_path / "slide4.png") as image:
        assert image.size == (1280, 720)


def test_export_still_refuses_a_video_name(open_window, tmp_path, monkeypatch, warnings):
    window = open_window()
    save_still_as(monkeypatch, tmp_path / "a.mp4")
    window.export_still()
    assert len(warnings) == 1 and ".png or .svg" in warnings[0]
    assert list(tmp_path.iterdir()) == []


def test_export_still_cancelled_writes_nothing(open_window, tmp_path, monkeypatch):
    window = open_window()
    monkeypatch.setattr(StillDialog, "exec", lambda dialog: QDialog.DialogCode.Rejected)
    window.export_still()
    assert list(tmp_path.iterdir()) == []
    assert window.statusBar().currentMessage() == ""


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


# ---------------------------------------------------------------- pacing for slides


def test_speed_and_holds_reach_the_export(open_window, qtbot, tmp_path, warnings):
    window = open_window()
    dialog = small_dialog(window, tmp_path / "paced.mp4")
    qtbot.addWidget(dialog)
    dialog.last.setValue(3)
    dialog.fps.setValue(4)
    dialog.speed.setValue(2)
    dialog.hold.setValue(1)
    dialog.final_hold.setValue(0.5)
    assert dialog.options().pacing == Pacing(speed=2, hold=1, final_hold=0.5)
    click_export(qtbot, dialog)
    assert warnings == []
    # Steps 2 and 3 (2.5 s) at 2×: 5 frames each at 4 fps; each then held 1 s (4 frames),
    # the last for the longer of the hold and the final hold.
    assert probe(tmp_path / "paced.mp4")["frames"] == 5 + 4 + 5 + 4


def test_the_new_fields_say_what_they_do(open_window, qtbot):
    dialog = open_dialog(open_window())
    qtbot.addWidget(dialog)
    assert (dialog.speed.value(), dialog.hold.value(), dialog.final_hold.value()) == (1, 0, 2)
    assert not dialog.split.isChecked()
    assert "half speed" in dialog.speed.toolTip()
    assert "finished state" in dialog.hold.toolTip()
    assert "loops" in dialog.final_hold.toolTip()
    assert "attention-01-embed.mp4" in dialog.split.toolTip()
    # The boxes keep values in range: nothing the export would refuse can be typed.
    dialog.speed.setValue(1000)
    dialog.hold.setValue(-5)
    assert (dialog.speed.value(), dialog.hold.value()) == (10, 0)


def test_one_file_per_step_from_the_dialog(open_window, qtbot, tmp_path, warnings, answer):
    window = open_window()
    dialog = small_dialog(window, tmp_path / "talk.gif")
    qtbot.addWidget(dialog)
    dialog.last.setValue(3)
    dialog.fps.setValue(2)
    dialog.split.setChecked(True)
    assert dialog.options().split
    click_export(qtbot, dialog)
    assert warnings == [] and answer == []
    folder = tmp_path / "talk"
    names = ["talk-02-project_q.gif", "talk-03-project_k.gif"]
    assert [p.name for p in tmp_path.iterdir()] == ["talk"]
    assert sorted(p.name for p in folder.iterdir()) == names
    for name in names:
        with Image.open(folder / name) as gif:
            gif.seek(gif.n_frames - 1)
            assert gif.info["duration"] == 2000  # each clip ends on its step, held 2 s
    assert window.statusBar().currentMessage() == f"Wrote 2 files into {folder}"
    # The folder it wrote is replaced only after Yes.
    answer.replies.append(QMessageBox.StandardButton.No)
    assert run_export(window, tmp_path / "talk.gif", dialog.options()) is False
    assert len(answer) == 1 and "talk exists" in answer[0]


def test_one_still_per_step_from_the_dialog(open_window, qtbot, tmp_path, warnings):
    window = open_window()
    dialog = small_dialog(window, tmp_path / "deck.png")
    qtbot.addWidget(dialog)
    click_export(qtbot, dialog)
    assert "Export still" in dialog.message.text()  # one still: the other menu item
    dialog.split.setChecked(True)
    dialog.message.clear()
    click_export(qtbot, dialog)
    assert warnings == [] and dialog.message.text() == ""
    assert [p.name for p in (tmp_path / "deck").iterdir()] == ["deck-02-project_q.png"]


def test_a_split_folder_of_other_files_is_refused_without_asking(open_window, tmp_path, warnings, answer):
    window = open_window()
    (tmp_path / "talk").mkdir()
    (tmp_path / "talk" / "notes.txt").write_text("mine")
    options = ExportOptions(size=(320, 240), fps=2, steps="2-2", split=True)
    assert run_export(window, tmp_path / "talk.mp4", options) is False
    assert list(answer) == []
    assert len(warnings) == 1 and "holds files that are not step files named talk-NN-KIND" in warnings[0]
    assert [p.name for p in (tmp_path / "talk").iterdir()] == ["notes.txt"]
