"""The presenter view: the step's panels large, every number and label of them readable and uncut.

Measured as painted: each MatrixItem records the pixel size of the numbers,
labels and title it last drew, the room each had and the widest advance
(QFontMetricsF) among them. A label that does not fit its room, a number wider
than its cell, text left out, or an item cut by its panel's edge fails, for
every preset, every stage of the walkthrough, both sizes, both themes and text
sizes −1 to +3; numbers under 12 px (font size) fail at the default text size.
"""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import QRectF
from PySide6.QtWidgets import QGraphicsItem

from explainer.animation import StepKind
from explainer.model import Document, preset_lesson, preset_names
from explainer.qt.items.matrix import MatrixItem
from explainer.qt.items.text import BarsItem
from explainer.qt.offscreen import FrameRenderer

READABLE_PX = 12
TEXT_SIZES = {-1: 1 / 1.15, 0: 1.0, 3: 1.15**3}  # Ctrl+− once, as it starts, Ctrl+= three times


def stage_steps(timeline) -> dict[StepKind, int]:
    """One step per stage: the worked query's cell where a stage goes cell by cell."""
    chosen: dict[StepKind, int] = {}
    worked = timeline.worked_query
    for index, step in enumerate(timeline.steps):
        if step.kind not in chosen or (
            step.query == worked and timeline.steps[chosen[step.kind]].query != worked
        ):
            chosen[step.kind] = index
    return chosen


def end_of(timeline, index: int) -> float:
    return timeline.start(index) + timeline.steps[index].duration - 1e-3


def framed_matrices(panel) -> list[MatrixItem]:
    """The matrices the camera frames: visible, not faded, with cells."""
    return [
        item
        for item in panel.box.addedItems
        if isinstance(item, MatrixItem)
        and item.isVisible()
        and QGraphicsItem.opacity(item) == 1.0
        and item.values.size
    ]


def bar_problems(panel) -> list[str]:
    """The softmax bar chart's token labels and values: drawn, inside their bar's room."""
    found = []
    for item in panel.box.addedItems:
        if isinstance(item, BarsItem) and item.isVisible() and len(item.values):
            painted = {p.what: p for p in item.painted}
            for what in ("bar labels", "bar values"):
                text = painted.get(what)
                if text is None:
                    found.append(f"{what} left out")
                elif text.widest > text.room + 0.5:
                    found.append(f"{what} {text.widest:.1f} px wide in {text.room:.1f} px")
    return found


def problems_of(panel, scale: float) -> list[str]:
    found = bar_problems(panel)
    viewport = QRectF(panel.view.viewport().rect()).adjusted(-1, -1, 1, 1)
    for item in framed_matrices(panel):
        name = item.title or "untitled"
        on_screen = panel.view.mapFromScene(item.mapRectToScene(item.boundingRect())).boundingRect()
        if not viewport.contains(QRectF(on_screen)):
            found.append(f"{name}: cut by the panel's edge ({on_screen} in {viewport})")
        painted = {p.what: p for p in item.painted}
        shown = item.opacity > 0.35
        if item.numbers and shown.any():
            numbers = painted.get("numbers")
            if numbers is None:
                found.append(f"{name}: numbers not drawn")
            else:
                if scale == 1 and numbers.px < READABLE_PX:
                    found.append(f"{name}: numbers {numbers.px} px")
                if numbers.widest > numbers.room + 0.5:  # clear of the step's outline
                    found.append(
                        f"{name}: number {numbers.widest:.1f} px wide in a {numbers.room:.1f} px cell"
                    )
        for what, wanted in (
            ("row labels", item.row_labels),
            ("column labels", item.col_labels),
            ("title", item.title),
        ):
            if not wanted:
                continue
            text = painted.get(what)
            if text is None:
                found.append(f"{name}: {what} left out")
            elif text.widest > text.room + 0.5:
                found.append(f"{name}: {what} {text.widest:.1f} px wide in {text.room:.1f} px")
            elif text.px < 9:
                found.append(f"{name}: {what} shrunk to {text.px} px")
    return found


@pytest.mark.parametrize("theme", ["light", "dark"])
@pytest.mark.parametrize("size", [(1280, 720), (1920, 1080)], ids=["720p", "1080p"])
@pytest.mark.parametrize("preset", preset_names())
def test_every_number_and_label_of_the_steps_panels_reads_uncut(preset, size, theme):
    model = Document.from_preset(preset).model
    with FrameRenderer(
        model, size=size, theme=theme, lesson=preset_lesson(preset), view="presenter"
    ) as renderer:
        timeline = renderer.timeline
        problems = []
        for steps, scale in TEXT_SIZES.items():
            renderer.appearance.set_font_scale(scale)
            for kind, index in stage_steps(timeline).items():
                renderer.render(end_of(timeline, index))
                main = [name for name, panel in renderer.board.panels.items() if panel.presenting]
                assert main, f"{kind}: no panel is presented"
                for name in main:
                    where = f"{kind} (step {index + 1}), text size {steps:+d}, {name}"
                    problems += [f"{where}: {p}" for p in problems_of(renderer.board.panels[name], scale)]
        assert not problems, "\n".join(problems[:20])


@pytest.mark.parametrize("size", [(1280, 720), (1920, 1080)], ids=["720p", "1080p"])
@pytest.mark.parametrize("preset", preset_names())
def test_the_overview_cuts_no_label_either(preset, size):
    """Every panel at once (the app's default): labels shrink to their room, never spill or get elided.

    Too many panels share 720p for all of them to stay large (that is what the
    presenter view is for): here text may shrink, or be left out below 7 px,
    but what is written fits its room and no matrix is cut by its panel.
    """
    model = Document.from_preset(preset).model
    with FrameRenderer(model, size=size, view="overview") as renderer:
        timeline = renderer.timeline
        problems = []
        for steps, scale in TEXT_SIZES.items():
            renderer.appearance.set_font_scale(scale)
            for kind in (StepKind.SOFTMAX, StepKind.WEIGHTED_SUM):
                renderer.render(end_of(timeline, stage_steps(timeline)[kind]))
                for name, panel in renderer.board.panels.items():
                    if panel.isVisible():
                        where = f"{kind}, text size {steps:+d}, {name}"
                        problems += [
                            f"{where}: {p}"
                            for p in problems_of(panel, 0.0)
                            if " wide in " in p
                            or "cut by" in p  # overflow or cut; small cells may drop numbers
                        ]
        assert not problems, "\n".join(problems[:20])


def test_larger_text_enlarges_the_cell_numbers_too():
    """Ctrl+= scales the numbers with everything else (until they fill their cells)."""
    model = Document.from_preset("seed-translate").model
    with FrameRenderer(model, size=(1280, 720), view="presenter") as renderer:
        timeline = renderer.timeline
        index = stage_steps(timeline)[StepKind.WEIGHTED_SUM]
        sizes = []
        for scale in (1 / 1.15, 1.0, 1.15, 1.15**2):
            renderer.appearance.set_font_scale(scale)
            renderer.render(end_of(timeline, index))
            values = renderer.board.panels["weighted_sum"].values
            sizes.append(next(p.px for p in values.painted if p.what == "numbers"))
        assert sizes[0] < sizes[1] < sizes[2], sizes  # −1, 0, +1: each step grows them
        assert sizes[3] >= sizes[2], sizes


def test_the_steps_panels_take_most_of_the_board(qtbot):
    model = Document.from_preset("seed-translate").model
    with FrameRenderer(model, size=(1280, 720), view="presenter") as renderer:
        timeline = renderer.timeline
        for kind, index in stage_steps(timeline).items():
            renderer.render(end_of(timeline, index))
            panels = renderer.board.panels
            stage = renderer.board._container
            main = sum(p.width() * p.height() for p in panels.values() if p.presenting and p.isVisible())
            assert main > 0.75 * stage.width() * stage.height(), kind


def test_a_step_change_moves_the_camera_smoothly():
    """From the V projection to the first dot product the scores panel grows frame by frame."""
    model = Document.from_preset("seed-translate").model
    with FrameRenderer(model, size=(1280, 720), view="presenter") as renderer:
        timeline = renderer.timeline
        dot = next(i for i, s in enumerate(timeline.steps) if s.kind == StepKind.DOT)
        widths = []
        for frame in range(0, 40):
            renderer.render(timeline.start(dot) + frame / 60)
            widths.append(renderer.board.panels["scores"].width())
        assert widths[0] < 0.2 * 1280 and widths[-1] > 0.45 * 1280
        steps = np.diff(widths)
        assert (steps >= 0).all() and steps.max() < 0.2 * 1280  # no jump bigger than a fifth of the frame
        assert len(set(widths)) >= 10  # a move through many sizes, not a cut


def test_outputs_appear_when_their_sum_is_complete():
    """While the caption adds α(I, kono)·v_kono, no finished out_I is on screen anywhere."""
    model = Document.from_preset("seed-translate").model
    with FrameRenderer(model, size=(1280, 720), view="presenter", detail="full") as renderer:
        timeline = renderer.timeline
        first = next(i for i, s in enumerate(timeline.steps) if s.kind == StepKind.WEIGHTED_SUM)
        renderer.render(end_of(timeline, first))
        ws = renderer.board.panels["weighted_sum"]
        assert not (ws.context.opacity[0] > 0).any()  # the head outputs' row of "I" still empty
        partial = ws.out.values[:, 0]
        expected = model.trace.weights[0, 0, 0] * model.trace.v[0, 0]
        np.testing.assert_allclose(partial, expected, atol=1e-9)  # out_I so far: one share
        last = first + 3  # the fourth key of "I": the sum is complete
        renderer.render(end_of(timeline, last))
        assert (ws.context.opacity[0] > 0.99).all()  # appearing with the last share
        np.testing.assert_allclose(ws.out.values[:, 0], model.trace.context[0, 0], atol=1e-9)


def test_the_arriving_panel_leaves_no_dot_before_it_grows():
    """In the first half of a move the arriving panel has no room: nothing of it shows, then it grows."""
    document = Document.from_preset("seed-translate")
    with FrameRenderer(
        document.model, size=(1280, 720), lesson=document.lesson, view="presenter"
    ) as renderer:
        timeline = renderer.timeline
        softmax = next(i for i, s in enumerate(timeline.steps) if s.kind == StepKind.SOFTMAX)
        frame = renderer.render(timeline.start(softmax) + 0.2)
        panel = renderer.board.panels["softmax"]
        centre = panel.mapTo(renderer.board, panel.rect().center())
        x, y = centre.x(), centre.y()
        assert (frame[y - 2 : y + 3, x - 2 : x + 3] == frame[y - 3, x - 3]).all()
        renderer.render(timeline.start(softmax) + timeline.steps[softmax].duration * 0.9)
        assert panel.isVisible() and panel.width() > 0.5 * 1280
