"""The shipped presets' lessons, marked for the catalogues: the JSON files hold them in English.

Each title and description here is exactly the text of its preset file (a test compares them), so
the lesson is translated by looking the English text it shows up with ``_()`` where it is shown.
"""

from __future__ import annotations

from explainer.i18n import N_

__all__ = ["LESSON_TEXTS"]

# preset name → (title, description)
LESSON_TEXTS: dict[str, tuple[str, str]] = {
    "seed-causal": (
        N_("Causal self-attention: the cat sat on the mat"),
        N_(
            "Causal self-attention, as in a decoder-only model: a word may look only at "
            "itself and the words before it, because when the model writes a sentence the "
            "later words do not exist yet. Two heads learn different things: head 1 looks "
            "one word back; head 2 finds the subject, cat."
        ),
    ),
    "seed-cross": (
        N_("Cross-attention: kore wa rei desu → this is an example"),
        N_(
            "Cross-attention: the English words being written (the decoder) are the "
            "queries; the Japanese sentence (the encoder) gives the keys and values. "
            "Aligned pairs attend most: this→kore, is→desu, example→rei; “an” has no "
            "partner and spreads its attention."
        ),
    ),
    "seed-self": (
        N_("Self-attention: this is an example"),
        N_(
            "Self-attention, as in an encoder: one sentence gives the queries, the keys and "
            "the values, so every word looks at every word of its own sentence, itself "
            "included: this→example, is→this, an→example."
        ),
    ),
    "seed-translate-ja": (
        N_("Translation: この 映画 が 嫌い → I hate this movie"),
        N_(
            "The lecture's example in Japanese script: the decoder's English words are the "
            "queries; the encoder's Japanese words この 映画 が 嫌い (kono eiga ga kirai) give the "
            "keys and values. Each English word takes most from the word it translates: "
            "hate→嫌い, this→この, movie→映画."
        ),
    ),
    "seed-translate-ko": (
        N_("Translation: 나는 이 영화가 싫어 → I hate this movie"),
        N_(
            "Cross-attention on the lecture's example in Korean: the decoder's English "
            "words are the queries; the encoder's Korean words 나는 이 영화가 싫어 give the keys "
            "and values. Each English word takes most from the word it translates: I→나는, "
            "hate→싫어, this→이, movie→영화가."
        ),
    ),
    "seed-translate": (
        N_("Translation: kono eiga ga kirai → I hate this movie"),
        N_(
            "Cross-attention, as in the lecture: an encoder–decoder model translates the "
            "Japanese “kono eiga ga kirai” into English. The decoder's English words are "
            "the queries; the encoder's Japanese words give the keys and values. Each "
            "English word takes most from the Japanese word it translates: hate→kirai, "
            "this→kono, movie→eiga."
        ),
    ),
}
