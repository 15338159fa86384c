"""The frame schedule paced for slides: speed, a hold after each step, a final hold, one clip per step."""

from __future__ import annotations

import math

import pytest

from explainer.export import (
    DEFAULT_FINAL_HOLD,
    FrameSchedule,
    Pacing,
    check_frame_count,
    check_hold,
    check_speed,
    frame_times,
)

FPS = 30
# seed-translate, default detail: step 2 (0-based 1) projects Q in 2.5 s, steps 5-8 are the
# first query's dot products (1.2 s each), step 26 the last weighted sum (a row, 1.6 s).


def shots(schedule: FrameSchedule) -> list:
    return list(schedule.shots())


def test_default_pacing_is_the_walkthrough_as_it_plays(translate_timeline):
    timeline = translate_timeline
    indices = range(len(timeline.steps))
    schedule = FrameSchedule(timeline, indices, FPS)
    assert schedule.frames == round(timeline.duration * FPS) + 1  # the finished last frame
    assert schedule.times() == frame_times(timeline, indices, FPS)
    assert [shot.frames for shot in shots(schedule)] == [1] * schedule.frames


@pytest.mark.parametrize(("speed", "frames"), [(1, 75 + 1), (2, 38 + 1), (0.5, 150 + 1), (3, 25 + 1)])
def test_speed_divides_each_steps_time(translate_timeline, speed, frames):
    # Step 2 lasts 2.5 s: 75 frames at 30 fps at 1×, 37.5 (so 38) at 2×, 150 at 0.5×.
    schedule = FrameSchedule(translate_timeline, range(1, 2), FPS, Pacing(speed=speed))
    assert schedule.frames == frames
    times = schedule.times()
    assert times[1] - times[0] == pytest.approx(speed / FPS)  # timeline seconds per frame
    assert times[0] == translate_timeline.start(1)


def test_a_hold_after_each_step_shows_that_step_finished(translate_timeline):
    timeline = translate_timeline
    schedule = FrameSchedule(timeline, range(4, 8), FPS, Pacing(hold=1.5))
    # Four 1.2 s dot products (36 frames each), each followed by 45 frames of itself finished.
    assert schedule.frames == 4 * (36 + 45)
    held = [shot for shot in shots(schedule) if shot.t is None]
    assert [(shot.step, shot.frames) for shot in held] == [(4, 45), (5, 45), (6, 45), (7, 45)]
    for shot in held:
        state = schedule.state(shot)
        step = timeline.steps[shot.step]
        assert (state.index, state.progress, state.eased) == (shot.step, 1.0, 1.0)
        assert state.step.caption == step.caption  # its own caption, not the next step's
        # The cell this dot product computes is drawn, the next one's is not yet.
        assert state.appearing["scores"][0, step.query, step.key]
        assert state.shown("scores").sum() == shot.step - 4 + 1


def test_the_hold_is_rendered_once(translate_timeline):
    schedule = FrameSchedule(translate_timeline, range(4, 8), FPS, Pacing(hold=1.5, final_hold=2))
    assert schedule.pictures == 4 * 36 + 4  # every frame of the steps, one picture per hold
    assert sum(shot.frames for shot in shots(schedule)) == schedule.frames
    assert len(shots(schedule)) == schedule.pictures


@pytest.mark.parametrize(("hold", "final", "end"), [(0, 2, 60), (0, 0, 1), (3, 2, 90), (1, 2.5, 75)])
def test_the_last_step_is_held_for_the_longer_of_hold_and_final_hold(translate_timeline, hold, final, end):
    schedule = FrameSchedule(translate_timeline, range(25, 26), FPS, Pacing(hold=hold, final_hold=final))
    last = shots(schedule)[-1]
    assert (last.step, last.t, last.frames) == (25, None, end)  # at least one frame, as before
    assert schedule.frames == round(translate_timeline.steps[25].duration * FPS) + end


def test_holds_are_seconds_of_video_whatever_the_speed(translate_timeline):
    slow = FrameSchedule(translate_timeline, range(4, 6), FPS, Pacing(speed=0.5, hold=1, final_hold=2))
    fast = FrameSchedule(translate_timeline, range(4, 6), FPS, Pacing(speed=2, hold=1, final_hold=2))
    assert [s.frames for s in shots(slow) if s.t is None] == [30, 60]
    assert [s.frames for s in shots(fast) if s.t is None] == [30, 60]
    assert slow.frames - fast.frames == 2 * (72 - 18)  # 1.2 s steps: 72 frames at 0.5×, 18 at 2×


def test_every_frame_of_a_step_shows_that_step(causal_timeline):
    # Speed and holds move steps off the timeline's clock: rounding must never show a neighbour.
    indices = range(3, len(causal_timeline.steps))
    for pacing in (Pacing(speed=1.7, hold=0.35), Pacing(speed=0.3, final_hold=1)):
        schedule = FrameSchedule(causal_timeline, indices, 29.97, pacing)
        steps = []
        for shot in schedule.shots():
            state = schedule.state(shot)
            assert state.index == shot.step
            steps.append(shot.step)
        assert steps == sorted(steps) and set(steps) == set(indices)


def test_split_is_one_schedule_per_step_each_ending_finished(translate_timeline):
    pacing = Pacing(speed=2, hold=0.5, final_hold=1)
    whole = FrameSchedule(translate_timeline, range(4, 8), FPS, pacing)
    clips = whole.split()
    assert [clip.indices for clip in clips] == [range(i, i + 1) for i in range(4, 8)]
    for clip in clips:
        *playing, end = shots(clip)
        assert all(shot.t is not None for shot in playing) and len(playing) == 18  # 1.2 s at 2×
        assert (end.t, end.frames) == (None, 30)  # each clip ends on its step, held 1 s


def test_the_frame_limit_counts_holds(translate_timeline):
    # 41.8 s of steps at 120 fps (5,016 frames), each of the 26 held a minute (187,200 frames).
    schedule = FrameSchedule(translate_timeline, range(26), 120, Pacing(hold=60))
    assert schedule.frames == 5_016 + 187_200
    with pytest.raises(ValueError, match=r"this export would be 192,216 frames .*raise --speed"):
        check_frame_count(schedule.frames, 120)


@pytest.mark.parametrize("value", [0, -1, 0.05, 11, 1e9, math.nan, math.inf, "fast", None])
def test_a_speed_out_of_range_is_refused_with_what_is_expected(value):
    with pytest.raises(ValueError) as error:
        check_speed(value, "--speed")
    expected = "expected a playback speed from 0.1 to 10 (0.5 is half speed, 2 twice as fast)"
    assert str(error.value) == f"--speed: {expected}, got {value!r}"


@pytest.mark.parametrize("value", [-0.5, 61, 1e9, math.nan, -math.inf, "long", "1s"])
def test_a_hold_out_of_range_is_refused_with_what_is_expected(value):
    with pytest.raises(ValueError, match=rf"^--hold: expected seconds from 0 to 60, got {value!r}$"):
        check_hold(value, "--hold")


def test_pacing_checks_every_field_and_takes_text_as_typed():
    assert Pacing("0.5", "1", "2.5") == Pacing(0.5, 1.0, 2.5)
    with pytest.raises(ValueError, match=r"^final hold: expected seconds"):
        Pacing(final_hold=-1)
    with pytest.raises(ValueError, match=r"^speed: "):
        Pacing(speed=0)
    assert Pacing().final_hold == 0 and DEFAULT_FINAL_HOLD == 2.0
