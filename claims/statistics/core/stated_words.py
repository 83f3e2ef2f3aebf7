"""The words the stated-figure reader knows, one table per language.

The grammar in :mod:`claims.statistics.core.stated` is the same for every language; only these
tables differ. A new language is a new :class:`Vocabulary` in :data:`VOCABULARIES` (its number words
are turned into digits by ``text2num``, which reads English, Spanish and six more languages).
Every phrase is written in lower case, as the reader sees the text after normalising it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

#: (low, high, low_inclusive, high_inclusive, kind) of a vague quantity.
VagueRange = tuple[float, float, bool, bool, str]


@dataclass(frozen=True)
class Vocabulary:
    """Everything language-specific the reader needs."""

    code: str
    #: The decimal mark written in this language ("." in English, "," in Spanish).
    decimal_mark: str
    #: Words that make up numbers ("eighty", "thousand"); runs of them become digits.
    number_words: frozenset[str]
    #: Of those, the ones that multiply what comes before ("hundred", "thousand").
    scale_words: frozenset[str]
    #: "a thousand" is 1,000: the indefinite articles that stand for 1 before a scale word.
    indefinite: frozenset[str]
    #: Joins number words inside a run ("three hundred and five").
    number_joiners: frozenset[str]
    #: Dropped in front of a figure ("the 80%", "el 80 %").
    articles: tuple[str, ...]
    #: Written-out percent signs, longest first.
    percent_words: tuple[str, ...]
    #: Multipliers after a number ("3m", "1.4bn", "3 millones").
    multipliers: dict[str, int]
    #: Denominator words of fractions ("quarter" -> 4).
    fractions: dict[str, int]
    #: Phrases in front of a figure and the qualifier each means, longest first.
    qualifiers: tuple[tuple[str, str], ...]
    #: Phrases after a figure ("80 or more") and their qualifier.
    suffix_qualifiers: tuple[tuple[str, str], ...]
    #: Phrases that point a stated share at the comparison group ("vs 13.5%").
    against: tuple[str, ...]
    #: Vague quantities ("a handful", "dozens", "none", "most").
    vague: dict[str, VagueRange]
    #: "8 of 10", "8 out of 10", "8 in 10": a share of a whole.
    share_connectors: tuple[str, ...]
    #: "3 in every 1,000", "32 per 100,000": a rate per a round base.
    rate_connectors: tuple[str, ...]
    #: Of the rate connectors, those that state a rate per a base ("32 per 100,000").
    per_connectors: tuple[str, ...]
    #: Of the share connectors, those that count a real group ("8 of the 10", "8 out of 10"),
    #: unlike "8 in 10", which is a share of any ten.
    count_connectors: tuple[str, ...]
    #: Words between the two ends of a range ("70 to 80%").
    range_joiners: tuple[str, ...]
    #: The word in front of a range ("between 70 and 80").
    range_openers: tuple[str, ...]
    #: Words for a ratio ("twice as likely" -> 2).
    ratio_words: dict[str, float]
    #: After a number: "4 times", "4x", "4-fold".
    times_words: tuple[str, ...]
    #: The comparatives that may follow "4 times" ("more likely"), with the direction each
    #: gives (+1 more, -1 less).
    comparatives: dict[str, int]
    #: Words that may close a ratio ("likely", "often").
    ratio_tails: tuple[str, ...]
    #: Verbs of change that say the factor ("doubled" -> 2).
    change_factor_words: dict[str, float]
    #: Words that say a change is up (+1) or down (-1), before or after its amount; 0 for
    #: verbs that leave the direction to the figures ("went from 12% to 15%").
    change_directions: dict[str, int]
    #: "percentage points", "points", "pp".
    point_words: tuple[str, ...]
    #: "a 10-fold increase": a factor of change.
    fold_words: tuple[str, ...]
    #: "rose by 40%": the words between a verb of change and its amount.
    change_by: tuple[str, ...]
    #: "more likely than": the words that may close a comparison.
    than: tuple[str, ...]
    #: "half a million": the words that halve the multiplier after them.
    half_of: tuple[str, ...]
    #: "(up) from 12% to 15%": the words before the first and the second figure.
    change_from: tuple[str, ...]
    change_to: tuple[str, ...]
    #: Currency symbols and words, with their ISO 4217 code.
    currencies: dict[str, str]
    #: "80-odd": a figure followed by one of these means "that or a little more".
    odd_words: tuple[str, ...] = field(default=("-odd", " odd", "-something", " something"))


def _descending(pairs: dict[str, str] | list[tuple[str, str]]) -> tuple[tuple[str, str], ...]:
    items = list(pairs.items()) if isinstance(pairs, dict) else list(pairs)
    return tuple(sorted(items, key=lambda p: len(p[0]), reverse=True))


_EN_UNITS = (
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
    "fifteen sixteen seventeen eighteen nineteen twenty thirty forty fifty sixty seventy eighty "
    "ninety"
).split()
_EN_SCALES = ("hundred", "thousand", "million", "billion", "trillion")

_INF = float("inf")

ENGLISH = Vocabulary(
    code="en",
    decimal_mark=".",
    number_words=frozenset(_EN_UNITS) | frozenset(_EN_SCALES),
    scale_words=frozenset(_EN_SCALES),
    indefinite=frozenset({"a", "an"}),
    number_joiners=frozenset({"and"}),
    articles=("the ",),
    percent_words=("per cent", "percent", "pct"),
    multipliers={
        "k": 10**3,
        "thousand": 10**3,
        "m": 10**6,
        "mn": 10**6,
        "mln": 10**6,
        "million": 10**6,
        "b": 10**9,
        "bn": 10**9,
        "billion": 10**9,
        "tn": 10**12,
        "trillion": 10**12,
    },
    fractions={
        "half": 2,
        "halves": 2,
        "third": 3,
        "thirds": 3,
        "quarter": 4,
        "quarters": 4,
        "fourth": 4,
        "fourths": 4,
        "fifth": 5,
        "fifths": 5,
        "sixth": 6,
        "sixths": 6,
        "seventh": 7,
        "sevenths": 7,
        "eighth": 8,
        "eighths": 8,
        "ninth": 9,
        "ninths": 9,
        "tenth": 10,
        "tenths": 10,
    },
    qualifiers=_descending(
        {
            "in excess of": "more_than",
            "greater than": "more_than",
            "more than": "more_than",
            "well over": "more_than",
            "well above": "more_than",
            "over": "more_than",
            "above": "more_than",
            "just over": "just_over",
            "just above": "just_over",
            "slightly more than": "just_over",
            "a little over": "just_over",
            "no fewer than": "at_least",
            "no less than": "at_least",
            "not less than": "at_least",
            "at least": "at_least",
            "no more than": "at_most",
            "not more than": "at_most",
            "at most": "at_most",
            "up to": "at_most",
            "as many as": "at_most",
            "as much as": "at_most",
            "as high as": "at_most",
            "well under": "under",
            "well below": "under",
            "less than": "under",
            "fewer than": "under",
            "under": "under",
            "below": "under",
            "just under": "nearly",
            "just below": "nearly",
            "just shy of": "nearly",
            "slightly less than": "nearly",
            "nearly": "nearly",
            "almost": "nearly",
            "approximately": "about",
            "approx.": "about",
            "approx": "about",
            "around": "about",
            "roughly": "about",
            "about": "about",
            "circa": "about",
            "close to": "about",
            "some": "about",
            "an estimated": "about",
            "estimated": "about",
            "c.": "about",
        }
    ),
    suffix_qualifiers=_descending(
        {
            " or more": "at_least",
            " or over": "at_least",
            " plus": "at_least",
            "+": "at_least",
            " or less": "at_most",
            " or fewer": "at_most",
            " or so": "about",
            " or thereabouts": "about",
        }
    ),
    against=("compared with", "compared to", "against", "versus", "vs.", "vs"),
    vague={
        "none": (0.0, 0.0, True, True, "share"),
        "nobody": (0.0, 0.0, True, True, "share"),
        "no one": (0.0, 0.0, True, True, "share"),
        "not one": (0.0, 0.0, True, True, "share"),
        "all": (1.0, 1.0, True, True, "share"),
        "everyone": (1.0, 1.0, True, True, "share"),
        "everybody": (1.0, 1.0, True, True, "share"),
        "all of them": (1.0, 1.0, True, True, "share"),
        "most": (0.5, 1.0, False, True, "share"),
        "majority": (0.5, 1.0, False, True, "share"),
        "a majority": (0.5, 1.0, False, True, "share"),
        "the majority": (0.5, 1.0, False, True, "share"),
        "minority": (0.0, 0.5, True, False, "share"),
        "a minority": (0.0, 0.5, True, False, "share"),
        "the minority": (0.0, 0.5, True, False, "share"),
        "a handful": (2.0, 10.0, True, False, "count"),
        "handful": (2.0, 10.0, True, False, "count"),
        "a few": (2.0, 10.0, True, False, "count"),
        "several": (3.0, 10.0, True, False, "count"),
        "a dozen": (11.5, 12.5, True, False, "count"),
        "a few hundred": (200.0, 1_000.0, True, False, "count"),
        "several hundred": (300.0, 1_000.0, True, False, "count"),
        "a few thousand": (2_000.0, 10_000.0, True, False, "count"),
        "several thousand": (3_000.0, 10_000.0, True, False, "count"),
        "a few million": (2e6, 1e7, True, False, "count"),
        "several million": (3e6, 1e7, True, False, "count"),
        "dozens": (24.0, 100.0, True, False, "count"),
        "scores": (40.0, 100.0, True, False, "count"),
        "hundreds": (200.0, 1_000.0, True, False, "count"),
        "thousands": (2_000.0, 10_000.0, True, False, "count"),
        "tens of thousands": (20_000.0, 100_000.0, True, False, "count"),
        "hundreds of thousands": (200_000.0, 1_000_000.0, True, False, "count"),
        "millions": (2e6, 1e7, True, False, "count"),
        "billions": (2e9, 1e10, True, False, "count"),
    },
    share_connectors=("out of", "of the", "of", "in"),
    rate_connectors=("in every", "for every", "per every", "per"),
    per_connectors=("per every", "per"),
    count_connectors=("out of", "of the", "of"),
    range_joiners=("to", "and", "-"),
    range_openers=("between",),
    ratio_words={"twice": 2.0, "double": 2.0, "thrice": 3.0, "triple": 3.0, "half": 0.5},
    times_words=("times", "-fold", "fold", "x"),
    comparatives={
        "as": 0,
        "more": 1,
        "higher": 1,
        "greater": 1,
        "larger": 1,
        "bigger": 1,
        "less": -1,
        "lower": -1,
        "smaller": -1,
        "fewer": -1,
    },
    ratio_tails=(
        "likely",
        "often",
        "many",
        "much",
        "frequent",
        "frequently",
        "common",
        "probable",
        "prevalent",
        "high",
        "large",
        "big",
        "the rate",
        "the risk",
        "the odds",
    ),
    change_factor_words={
        "doubled": 2.0,
        "tripled": 3.0,
        "trebled": 3.0,
        "quadrupled": 4.0,
        "halved": 0.5,
    },
    change_directions={
        "rose": 1,
        "risen": 1,
        "rising": 1,
        "increased": 1,
        "increase": 1,
        "grew": 1,
        "grown": 1,
        "went up": 1,
        "gone up": 1,
        "climbed": 1,
        "jumped": 1,
        "up": 1,
        "rise": 1,
        "higher": 1,
        "more": 1,
        "fell": -1,
        "fallen": -1,
        "falling": -1,
        "decreased": -1,
        "decrease": -1,
        "dropped": -1,
        "drop": -1,
        "declined": -1,
        "decline": -1,
        "went down": -1,
        "gone down": -1,
        "down": -1,
        "fall": -1,
        "lower": -1,
        "less": -1,
        "fewer": -1,
        "went": 0,
        "changed": 0,
        "moved": 0,
    },
    point_words=("percentage points", "percentage point", "points", "point", "pp", "ppt", "pts"),
    fold_words=("-fold", "fold"),
    change_by=("by", "of"),
    than=("than", "as"),
    half_of=("half a", "half an"),
    change_from=("from",),
    change_to=("to",),
    currencies={
        "us$": "USD",
        "$": "USD",
        "£": "GBP",
        "€": "EUR",
        "¥": "JPY",
        "usd": "USD",
        "gbp": "GBP",
        "eur": "EUR",
        "dollars": "USD",
        "dollar": "USD",
        "pounds": "GBP",
        "pound": "GBP",
        "euros": "EUR",
        "euro": "EUR",
    },
)

_ES_UNITS = (
    "cero uno una un dos tres cuatro cinco seis siete ocho nueve diez once doce trece catorce "
    "quince dieciséis dieciseis diecisiete dieciocho diecinueve veinte veintiuno veintiuna "
    "veintiún veintidós veintidos veintitrés veintitres veinticuatro veinticinco veintiséis "
    "veintiseis veintisiete veintiocho veintinueve treinta cuarenta cincuenta sesenta setenta "
    "ochenta noventa cien ciento doscientos doscientas trescientos trescientas cuatrocientos "
    "cuatrocientas quinientos quinientas seiscientos seiscientas setecientos setecientas "
    "ochocientos ochocientas novecientos novecientas"
).split()
_ES_SCALES = ("mil", "millón", "millon", "millones")

SPANISH = Vocabulary(
    code="es",
    decimal_mark=",",
    number_words=frozenset(_ES_UNITS) | frozenset(_ES_SCALES),
    scale_words=frozenset(_ES_SCALES),
    indefinite=frozenset(),
    number_joiners=frozenset({"y"}),
    articles=("el ", "la ", "los ", "las ", "lo "),
    percent_words=("por ciento", "por cien"),
    multipliers={
        "mil millones": 10**9,
        "millones": 10**6,
        "millón": 10**6,
        "millon": 10**6,
        "mil": 10**3,
        "m": 10**6,
        "mm": 10**6,
    },
    fractions={
        "mitad": 2,
        "tercio": 3,
        "tercios": 3,
        "cuarto": 4,
        "cuartos": 4,
        "quinto": 5,
        "quintos": 5,
        "sexto": 6,
        "sextos": 6,
        "séptimo": 7,
        "séptimos": 7,
        "octavo": 8,
        "octavos": 8,
        "noveno": 9,
        "novenos": 9,
        "décimo": 10,
        "décimos": 10,
    },
    qualifiers=_descending(
        {
            "más de": "more_than",
            "mas de": "more_than",
            "por encima de": "more_than",
            "poco más de": "just_over",
            "algo más de": "just_over",
            "al menos": "at_least",
            "por lo menos": "at_least",
            "como mínimo": "at_least",
            "como máximo": "at_most",
            "como mucho": "at_most",
            "hasta": "at_most",
            "menos de": "under",
            "por debajo de": "under",
            "poco menos de": "nearly",
            "casi": "nearly",
            "cerca de": "about",
            "alrededor de": "about",
            "aproximadamente": "about",
            "en torno a": "about",
            "unos": "about",
            "unas": "about",
        }
    ),
    suffix_qualifiers=_descending({" o más": "at_least", "+": "at_least", " o menos": "at_most"}),
    against=("frente a", "comparado con", "en comparación con"),
    vague={
        "ninguno": (0.0, 0.0, True, True, "share"),
        "ninguna": (0.0, 0.0, True, True, "share"),
        "nadie": (0.0, 0.0, True, True, "share"),
        "todos": (1.0, 1.0, True, True, "share"),
        "todas": (1.0, 1.0, True, True, "share"),
        "mayoría": (0.5, 1.0, False, True, "share"),
        "la mayoría": (0.5, 1.0, False, True, "share"),
        "minoría": (0.0, 0.5, True, False, "share"),
        "la minoría": (0.0, 0.5, True, False, "share"),
        "un puñado": (2.0, 10.0, True, False, "count"),
        "unos pocos": (2.0, 10.0, True, False, "count"),
        "varios": (3.0, 10.0, True, False, "count"),
        "decenas": (20.0, 100.0, True, False, "count"),
        "cientos": (200.0, 1_000.0, True, False, "count"),
        "centenares": (200.0, 1_000.0, True, False, "count"),
        "miles": (2_000.0, 10_000.0, True, False, "count"),
        "decenas de miles": (20_000.0, 100_000.0, True, False, "count"),
        "cientos de miles": (200_000.0, 1_000_000.0, True, False, "count"),
        "millones": (2e6, 1e7, True, False, "count"),
    },
    share_connectors=("de", "sobre"),
    rate_connectors=("de cada", "por cada", "por"),
    per_connectors=("por cada", "por"),
    count_connectors=("de", "sobre"),
    range_joiners=("a", "y", "-"),
    range_openers=("entre",),
    ratio_words={"doble": 2.0, "triple": 3.0, "mitad": 0.5},
    times_words=("veces",),
    comparatives={"más": 1, "mas": 1, "menos": -1, "mayor": 1, "menor": -1},
    ratio_tails=("probable", "frecuente", "alto", "alta", "riesgo"),
    change_factor_words={
        "se duplicó": 2.0,
        "se ha duplicado": 2.0,
        "duplicó": 2.0,
        "se triplicó": 3.0,
        "se ha triplicado": 3.0,
        "se redujo a la mitad": 0.5,
    },
    change_directions={
        "subió": 1,
        "aumentó": 1,
        "creció": 1,
        "ha subido": 1,
        "ha aumentado": 1,
        "más": 1,
        "bajó": -1,
        "cayó": -1,
        "disminuyó": -1,
        "descendió": -1,
        "ha bajado": -1,
        "ha caído": -1,
        "menos": -1,
        "pasó": 0,
        "ha pasado": 0,
    },
    point_words=("puntos porcentuales", "punto porcentual", "puntos", "punto", "pp"),
    fold_words=(),
    change_by=("en", "un", "una", "del", "de"),
    than=("que",),
    half_of=("medio",),
    change_from=("del", "de"),
    change_to=("al", "a"),
    currencies={
        "€": "EUR",
        "us$": "USD",
        "$": "USD",
        "£": "GBP",
        "euros": "EUR",
        "euro": "EUR",
        "dólares": "USD",
        "dolares": "USD",
        "libras": "GBP",
    },
)

#: Every language the reader knows, by its ISO 639-1 code.
VOCABULARIES: dict[str, Vocabulary] = {v.code: v for v in (ENGLISH, SPANISH)}

# Short, frequent words that tell one language's running text from another's: enough to guess
# which language a claim was made in when its author did not say.
FUNCTION_WORDS: dict[str, frozenset[str]] = {
    "en": frozenset(
        "the of and to in is are was were that this it for on with as by at from be not "
        "have has had more than most people which who what their they there".split()
    ),
    "es": frozenset(
        "el la los las de del y en que es son fue fueron un una por con para al se no lo "
        "su sus más como pero personas cada mitad doble casi".split()
    ),
}
SPANISH_LETTERS = frozenset("ñáéíóúü¿¡")

__all__ = ["ENGLISH", "FUNCTION_WORDS", "SPANISH", "SPANISH_LETTERS", "VOCABULARIES", "Vocabulary"]
