"""Which language a practice's text is written in, when nobody said: told offline by lingua.

lingua (lingua-language-detector, maintained, MIT/Apache) ships its models in the wheel: nothing is fetched at run
time. It is asked to choose only among the languages a practice can be written in (vocabularies.TEXT_LANGUAGES that
lingua knows), which keeps it from naming Tagalog or Somali for two words of English. Its high-accuracy mode is used:
the low-accuracy one called "Italian association of responsible tourism" French with 99.9 % confidence. The price is
memory (about 0.6 GB of models once every language has been met), so the detector is built on first use, once per
process: only imports detect languages, pages never do.

A text too short or too mixed to tell (proper names, "Helsinki Timebank") gets no language rather than a guess.
"""

from collections.abc import Iterable
from functools import cache

from practices.vocabularies import TEXT_LANGUAGES

# Below this share of the confidence, the answer is a guess: the texts of the SUSY file that fall below it are
# a few words of English around proper names ("Formed by social cooperatives.", "Oma Maa").
MIN_CONFIDENCE = 0.5
SURE = 0.95
MIN_LETTERS = 10


@cache
def _detector():
    from lingua import IsoCode639_1, Language, LanguageDetectorBuilder

    languages = [
        Language.from_iso_code_639_1(getattr(IsoCode639_1, code.upper()))
        for code in TEXT_LANGUAGES
        if hasattr(IsoCode639_1, code.upper())
    ]
    return LanguageDetectorBuilder.from_languages(*languages).build()


def detect(text: str, *, exclude: Iterable[str] = ()) -> str | None:
    """The code of the language `text` is written in, or None when it is too short or unclear to tell.

    `exclude`: languages the text is probably not in (the file gives another text in that language), passed over
    unless the detector is sure ("Világbolt Worldshop is a fair trade shop" is not Hungarian; a long German text
    beside a shorter German one is German)."""
    text = (text or "").strip()
    if sum(character.isalpha() for character in text) < MIN_LETTERS:
        return None
    excluded = set(exclude)
    for value in _detector().compute_language_confidence_values(text):  # the likeliest first
        code = value.language.iso_code_639_1.name.lower()
        if code in excluded and value.value < SURE:
            continue
        return code if value.value >= MIN_CONFIDENCE else None
    return None


def original_text(description: str, others: dict[str, str], *, summary: str = "") -> tuple[str | None, str]:
    """(language, description) of an imported row's original text, when the file names no language for it.

    `others` are the row's texts in named languages (SUSY's description:it...). With a description, its language is
    detected, leaving out the named languages whose text differs from it (the file says those are other texts).
    Without one, the first named text with words is the original: a row with only description:it is Italian, and
    its Italian text is its description (not a translation of an empty one)."""
    if description.strip() or summary.strip():
        differing = {code for code, text in others.items() if text.strip() and text.strip() != description.strip()}
        return detect(description or summary, exclude=differing), description
    for code, text in others.items():
        if text.strip():
            return code, text.strip()
    return None, description
