"""Korean particles in templates: ``{company:이}`` becomes "세진오토메이션이" or "한빛솔라가"."""

import re
import string

# The particle written after a final consonant, and the one written after a vowel.
PARTICLES = {"은": ("은", "는"), "이": ("이", "가"), "을": ("을", "를"), "과": ("과", "와")}
# Final consonant of each digit as read in Sino-Korean (영, 일, 이, 삼 …): 0 for none, 8 for ㄹ.
DIGIT_FINALS = {"0": 21, "1": 8, "2": 0, "3": 16, "4": 0, "5": 0, "6": 1, "7": 8, "8": 8, "9": 0}
RIEUL = 8
OPEN_QUOTE, CLOSE_QUOTE = "\N{LEFT SINGLE QUOTATION MARK}", "\N{RIGHT SINGLE QUOTATION MARK}"
# Closing marks between a word and its particle, as in (주)는 or "NX-7"을.
CLOSING_MARKS = f"{CLOSE_QUOTE}\N{RIGHT DOUBLE QUOTATION MARK}'\")"


def final_consonant(word: str) -> int:
    """The index of the word's last final consonant (0: it ends in a vowel)."""
    word = re.sub(r"\([^)]*\)$", "", word).rstrip(CLOSING_MARKS)
    last = word[-1]
    if "가" <= last <= "힣":
        return (ord(last) - ord("가")) % 28
    return DIGIT_FINALS.get(last, 0)


def particle(word: str, spec: str) -> str:
    final = final_consonant(word)
    if spec == "으로":
        return "로" if final in (0, RIEUL) else "으로"
    after_consonant, after_vowel = PARTICLES[spec]
    return after_consonant if final else after_vowel


class KoreanFormatter(string.Formatter):
    """``str.format`` where ``{company:이}`` appends the form of 이/가 that fits the value."""

    def format_field(self, value, format_spec):
        if format_spec in PARTICLES or format_spec == "으로":
            return f"{value}{particle(str(value), format_spec)}"
        return super().format_field(value, format_spec)


korean = KoreanFormatter()
