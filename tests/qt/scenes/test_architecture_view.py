"""The architecture scene as a person sees it: lit blocks, doors that open, tokens moving, a camera."""

from __future__ import annotations

import itertools

import pytest
from helpers import TOLERANCE
from PySide6.QtCore import QPoint, QPointF, Qt
from scene_helpers import close, frame_of, painted_now

from explainer.qt.scenes import ArchitectureView, ScenePage
from explainer.qt.scenes.colours import block_fill
from explainer.qt.style import THEME_STYLES, Appearance
from explainer.scenes import ARCHITECTURE_DIAGRAMS, SceneStep, architecture_timeline, door_blocks
from explainer.scenes.architecture_diagrams import SOURCE, TARGET


@pytest.fixture
def view(qtbot):
    made = []

    def make(theme: str = "light", size: tuple[int, int] = (1280, 640)) -> ArchitectureView:
        widget = ArchitectureView(Appearance(theme=THEME_STYLES[theme]))
        made.append(widget)
        widget.resize(*size)
        widget.show()
        qtbot.waitExposed(widget)
        return widget

    yield make
    for widget in made:
        close(widget)


def step_named(name: str) -> SceneStep:
    return next(step for step in architecture_timeline().steps if step.name == name)


def colour_at(widget, point: QPointF):
    image = widget.grab().toImage()
    ratio = image.devicePixelRatio()
    return image.pixelColor(int(point.x() * ratio), int(point.y() * ratio))


def close_to(colour, expected) -> bool:
    return all(
        abs(a - b) <= TOLERANCE for a, b in zip(colour.getRgb()[:3], expected.getRgb()[:3], strict=True)
    )


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_a_lit_block_is_strong_and_the_others_faded(view, theme):
    widget = view(theme)
    block = "encoder-decoder.enc-self"
    rect = widget.block_rect(block)
    inside = QPointF(rect.left() + 5, rect.center().y())  # in the fill: clear of outline and label
    widget.set_frame(frame_of(SceneStep("lit", "", 1.0, frozenset({block}))))
    lit = colour_at(widget, inside)
    widget.set_frame(frame_of(SceneStep("other", "", 1.0, frozenset({"encoder-decoder.enc-ffn"}))))
    faded = colour_at(widget, inside)
    appearance_theme = THEME_STYLES[theme]
    assert close_to(lit, block_fill("self", appearance_theme, True))
    assert close_to(faded, block_fill("self", appearance_theme, False))
    assert sum(abs(a - b) for a, b in zip(lit.getRgb()[:3], faded.getRgb()[:3], strict=True)) > 60


def test_the_three_attention_kinds_have_three_colours(view):
    theme = THEME_STYLES["light"]
    fills = {kind: block_fill(kind, theme, True).getRgb() for kind in ("self", "causal", "cross")}
    assert len(set(fills.values())) == 3


def test_clicking_each_door_block_emits_its_door(view, qtbot):
    widget = view()
    widget.set_frame(frame_of(step_named("overview")))
    found = door_blocks()
    assert [block.key for block, _ in found] == ["1", "2", "3", "4", "5"]
    for block, door in found:
        centre = widget.block_rect(block.id).center().toPoint()
        with qtbot.waitSignal(widget.door_requested, timeout=1000) as signal:
            qtbot.mouseClick(widget, Qt.MouseButton.LeftButton, pos=centre)
        assert signal.args == [door]
        assert signal.args[0].mode == block.kind  # a self block opens self-attention, and so on
    expected = {
        "1": ("cross", TARGET, SOURCE),
        "2": ("self", SOURCE, SOURCE),
        "3": ("causal", TARGET, TARGET),
        "4": ("cross", TARGET, SOURCE),
        "5": ("causal", TARGET, TARGET),
    }
    for block, door in found:
        assert (door.mode, door.query_tokens, door.key_tokens) == expected[block.key]


def test_a_click_off_the_doors_emits_nothing(view, qtbot):
    widget = view()
    widget.set_frame(frame_of(step_named("overview")))
    ffn = widget.block_rect("encoder-decoder.enc-ffn").center().toPoint()
    with qtbot.assertNotEmitted(widget.door_requested):
        qtbot.mouseClick(widget, Qt.MouseButton.LeftButton, pos=ffn)
        qtbot.mouseClick(widget, Qt.MouseButton.LeftButton, pos=QPoint(3, 3))
    assert widget.block_at(QPointF(3, 3)) is None


def test_hovering_a_door_shows_a_hand_and_says_what_it_opens(view, qtbot):
    widget = view()
    widget.set_frame(frame_of(step_named("overview")))
    block, door = door_blocks()[1]
    qtbot.mouseMove(widget, widget.block_rect(block.id).center().toPoint())
    assert widget.cursor().shape() == Qt.CursorShape.PointingHandCursor
    assert door.title in widget.toolTip() and "2" in widget.toolTip()
    qtbot.mouseMove(widget, widget.block_rect("encoder-decoder.enc-ffn").center().toPoint())
    assert widget.cursor().shape() != Qt.CursorShape.PointingHandCursor
    assert widget.toolTip() == ""


def test_door_blocks_show_their_key(view):
    widget = view()
    widget.set_frame(frame_of(step_named("overview")))
    painted_now(widget)
    keys = {p.owner: p.text for p in widget.painted if p.what == "key"}
    assert keys == {block.id: f"[{block.key}]" for block, _ in door_blocks()}


def test_pressing_2_on_the_page_opens_the_encoder_self_attention(qtbot):
    page = ScenePage("architecture", Appearance())
    try:
        page.resize(1280, 720)
        page.show()
        qtbot.waitExposed(page)
        page.set_frame(architecture_timeline().state_at(0.0))
        with qtbot.waitSignal(page.door_requested, timeout=1000) as signal:
            qtbot.keyClick(page, Qt.Key.Key_2)
        door = signal.args[0]
        assert (door.mode, door.query_tokens, door.key_tokens) == ("self", SOURCE, SOURCE)
        assert "Encoder self-attention" in door.title
        with qtbot.assertNotEmitted(page.door_requested):
            qtbot.keyClick(page, Qt.Key.Key_9)  # no block has key 9
    finally:
        close(page)


def test_token_chips_travel_along_a_flowing_arrow(view):
    widget = view()
    step = step_named("encoder-self")
    arrow = "encoder-decoder.enc-in"
    assert arrow in step.flows
    start, end = widget.arrow_line(arrow)
    centres = []
    for progress in (0.0, 0.25, 0.5, 0.75, 1.0):
        widget.set_frame(frame_of(step, progress, previous=step))
        painted_now(widget)
        chips = [chip for arrow_id, _word, chip in widget.flow_chips if arrow_id == arrow]
        assert [word for arrow_id, word, _ in widget.flow_chips if arrow_id == arrow] == list(SOURCE)
        centre_y = sum(chip.center().y() for chip in chips) / len(chips)
        centres.append(centre_y)
    assert centres[0] == pytest.approx(start.y(), abs=1)
    # They arrive just outside the block they reach (half a chip and 2 px short), not over its text.
    height = chips[0].height()
    assert abs(centres[-1] - end.y()) == pytest.approx(height / 2 + 2, abs=1)
    arrows = [a for diagram in ARCHITECTURE_DIAGRAMS for a in diagram.arrows if a.id == arrow]
    target = widget.block_rect(arrows[0].target)
    assert not any(chip.intersects(target) for chip in chips)
    direction = 1 if end.y() > start.y() else -1
    steps = [direction * (b - a) for a, b in itertools.pairwise(centres)]
    assert all(step > 0 for step in steps), centres


def test_the_camera_frames_the_steps_diagram_after_moving_from_the_last(view):
    widget = view()
    timeline = architecture_timeline()
    index = next(i for i, s in enumerate(timeline.steps) if s.name == "transformer")
    step, previous = timeline.steps[index], timeline.steps[index - 1]
    assert (previous.camera, step.camera) == ("rnn", "encoder-decoder")
    width = widget.width()

    def columns(progress):
        widget.set_frame(frame_of(step, progress, previous))
        mapping = widget.mapping()
        return mapping.left, mapping.span

    assert columns(0.0) == (0.0, 100.0)  # still where the last step looked
    middle = columns(0.2)
    assert 0.0 < middle[0] < 100.0
    assert columns(0.4) == (100.0, 100.0) == columns(1.0)
    rnn = widget.block_rect("rnn.cross")
    encoder = widget.block_rect("encoder-decoder.enc-self")
    assert rnn.right() < 0 and encoder.left() >= 0 and encoder.right() <= width
    whole = next(s for s in timeline.steps if s.camera is None)
    widget.set_frame(frame_of(whole, 1.0, whole))
    assert (widget.mapping().left, widget.mapping().span) == (0.0, 300.0)
    assert len({d.id for d in ARCHITECTURE_DIAGRAMS}) == 3
