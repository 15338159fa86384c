"""The transport bar reads clearly in both themes: contrast measured on the pixels the user sees.

WCAG 2.x: text needs a contrast ratio of at least 4.5:1 against what is behind
it, icons and the outline of a control at least 3:1 (success criteria 1.4.3
and 1.4.11). Each test grabs the widget, takes its most common colour as the
background and measures the pixels of the icon, the box or the text.
"""

from __future__ import annotations

from collections import Counter

import pytest
from helpers import settle
from PySide6.QtCore import QRect
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QLabel, QStyle, QStyleOptionButton, QWidget

TEXT_CONTRAST = 4.5
ICON_CONTRAST = 3.0
# A glyph, an icon or a box outline covers at least this many pixels: one stray
# anti-aliased pixel must not pass for a visible icon.
ENOUGH_PIXELS = 12


def luminance(colour: QColor) -> float:
    """WCAG relative luminance of an sRGB colour."""

    def linear(channel: int) -> float:
        c = channel / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    return 0.2126 * linear(colour.red()) + 0.7152 * linear(colour.green()) + 0.0722 * linear(colour.blue())


def contrast(a: QColor, b: QColor) -> float:
    light, dark = sorted((luminance(a), luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def grab(widget: QWidget) -> QImage:
    settle()
    image = widget.grab().toImage()
    assert image.devicePixelRatio() == 1.0, "the rectangles below are in logical pixels"
    return image


def background(image: QImage) -> QColor:
    """The most common colour of the grab: the face of the button, the bar behind the box."""
    counts = Counter(image.pixel(x, y) for x in range(image.width()) for y in range(image.height()))
    return QColor.fromRgba(counts.most_common(1)[0][0])


def contrasts(image: QImage, rect: QRect, behind: QColor) -> list[float]:
    """The contrast of every pixel of ``rect`` against ``behind``."""
    rect = rect.intersected(image.rect())
    return [
        contrast(image.pixelColor(x, y), behind)
        for x in range(rect.left(), rect.right() + 1)
        for y in range(rect.top(), rect.bottom() + 1)
    ]


def assert_visible(image: QImage, rect: QRect, ratio: float, what: str) -> None:
    behind = background(image)
    seen = contrasts(image, rect, behind)
    strong = [c for c in seen if c >= ratio]
    assert len(strong) >= ENOUGH_PIXELS, (
        f"{what}: {len(strong)} pixels reach {ratio}:1 against {behind.name()} "
        f"(best {max(seen):.2f}:1), expected at least {ENOUGH_PIXELS}"
    )


def buttons(window):
    transport = window.transport
    return {
        "first": transport.first_button,
        "previous": transport.previous_button,
        "play": transport.play_button,
        "next": transport.next_button,
        "last": transport.last_button,
    }


def icon_rect(button) -> QRect:
    """Where the icon sits: its size, centred on the button."""
    rect = QRect(0, 0, button.iconSize().width(), button.iconSize().height())
    rect.moveCenter(button.rect().center())
    return rect


@pytest.fixture(params=["light", "dark", "light then dark"])
def window(request, open_window):
    """A window in each theme, and one switched to dark after it was built (icons follow)."""
    if request.param == "light then dark":
        win = open_window("seed-translate", theme="light")
        win.set_theme("dark")
        return win
    return open_window("seed-translate", theme=request.param)


def test_the_transport_icons_stand_out_from_their_buttons(window):
    for name, button in buttons(window).items():
        assert_visible(grab(button), icon_rect(button), ICON_CONTRAST, f"the {name} button's icon")


def test_the_pause_icon_stands_out_too(window):
    window.player.play()
    try:
        button = window.transport.play_button
        assert_visible(grab(button), icon_rect(button), ICON_CONTRAST, "the pause icon")
    finally:
        window.player.pause()


@pytest.mark.parametrize("checked", [False, True])
def test_the_loop_box_and_its_label_stand_out(window, checked):
    loop = window.transport.loop
    loop.setChecked(checked)
    option = QStyleOptionButton()
    loop.initStyleOption(option)
    style = loop.style()
    box = style.subElementRect(QStyle.SubElement.SE_CheckBoxIndicator, option, loop)
    text = style.subElementRect(QStyle.SubElement.SE_CheckBoxContents, option, loop)
    image = grab(loop)
    state = "ticked" if checked else "empty"
    assert_visible(image, box, ICON_CONTRAST, f"the {state} Loop box")
    assert_visible(image, text, TEXT_CONTRAST, "the Loop label")
    if checked:  # ticked reads as ticked: most of the box is filled, not just its outline
        filled = [c for c in contrasts(image, box, background(image)) if c >= ICON_CONTRAST]
        assert len(filled) >= 0.5 * box.width() * box.height()


def test_the_transport_labels_are_readable_text(window):
    for label in window.transport.findChildren(QLabel):
        if label.isVisible() and label.text():
            assert_visible(grab(label), label.rect(), TEXT_CONTRAST, f"the label {label.text()!r}")
