"""Numbers, dates, deadlines, targets and fixed phrases in Danish and English.

Every stage that shows plan values to people (documents, scoring reports, the
language server's hover) goes through this module, so a number or a deadline
reads the same everywhere. Numbers and dates come from Babel (CLDR data); the
words around them come from the `PHRASES` table below.

Style decisions (documented in docs/build.md):
- numbers keep the plan's decimals: 2,5 / 152,0 / 3.500 (Danish), 2.5 / 3,500 (English);
- percentages are written "90 pct." in Danish prose (as the seed documents do)
  and "90%" in English;
- a weight reads "5 point" / "5 points" (or "5 pct." / "5%" for percent weights).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal, localcontext

from babel.dates import format_date as babel_format_date
from babel.dates import get_month_names
from babel.numbers import format_decimal

from mrpl import ast as A

LANGUAGES = ("da", "en")
_LOCALES = {"da": "da_DK", "en": "en_GB"}


def locale_of(lang: str) -> str:
    """The Babel locale for a document language ("da" or "en")."""
    if lang not in _LOCALES:
        raise ValueError(f"unknown language {lang!r}: use one of {', '.join(LANGUAGES)}")
    return _LOCALES[lang]


# --------------------------------------------------------------------------
# Numbers, percentages, weights


def _fraction_digits(value: Decimal) -> int:
    exponent = value.as_tuple().exponent
    return -exponent if isinstance(exponent, int) and exponent < 0 else 0


def format_number(value: Decimal | int, lang: str = "da") -> str:
    """A number with the locale's separators and exactly the plan's decimals."""
    value = Decimal(value)
    if not value.is_finite():  # the results reader refuses these; never let one crash a report
        return str(value)
    digits = _fraction_digits(value)
    pattern = "#,##0" + ("." + "0" * digits if digits else "")
    with localcontext() as ctx:  # Babel quantizes in the current context: room for every digit given
        ctx.prec = max(ctx.prec, len(value.as_tuple().digits) + 2)
        return format_decimal(value, format=pattern, locale=locale_of(lang), decimal_quantization=True)


def format_percent(value: Decimal | int, lang: str = "da") -> str:
    """ "90 pct." in Danish prose, "90%" in English."""
    number = format_number(value, lang)
    return f"{number} pct." if lang == "da" else f"{number}%"


def format_points(value: Decimal | int, lang: str = "da") -> str:
    number = format_number(value, lang)
    if lang == "en" and Decimal(value) != 1:
        return f"{number} points"
    return f"{number} point"


def format_weight(weight: A.Weight, lang: str = "da") -> str:
    """ "5 point" / "5 points", or "5 pct." / "5%" for a percent weight."""
    if weight.unit is A.WeightUnit.PERCENT:
        return format_percent(weight.value, lang)
    return format_points(weight.value, lang)


# --------------------------------------------------------------------------
# Dates and deadlines


def format_date(day: date, lang: str = "da") -> str:
    """ "1. januar 2022" / "1 January 2022"."""
    pattern = "d. MMMM y" if lang == "da" else "d MMMM y"
    return babel_format_date(day, format=pattern, locale=locale_of(lang))


def month_name(month: int, lang: str = "da") -> str:
    """ "marts" / "March" (Danish month names are lower case)."""
    return str(get_month_names("wide", locale=locale_of(lang))[month])


_DANISH_MARKERS = frozenset({"ultimo", "primo", "kvartal", "halvår", "periodens", "udgang"}) | frozenset(
    {"januar", "februar", "marts", "maj", "juni", "juli", "oktober"}
)
_ENGLISH_MARKERS = frozenset(
    {"end", "start", "quarter", "half", "period", "q1", "q2", "q3", "q4", "h1", "h2"}
) | frozenset({"january", "february", "march", "may", "june", "july", "october"})


def written_language(written: str) -> str | None:
    """The language a deadline was written in, or None when it does not tell
    (an ISO date, a bare year, "september 2022")."""
    words = {w.strip(".,").lower() for w in written.split()}
    if words & _DANISH_MARKERS:
        return "da"
    if words & _ENGLISH_MARKERS:
        return "en"
    return None


def format_deadline(deadline: A.Deadline, lang: str = "da") -> str:
    """The deadline as the plan wrote it when the plan wrote it in `lang`,
    otherwise in words of `lang` ("2. kvartal 2022" / "Q2 2022")."""
    if deadline.written and written_language(deadline.written) == lang:
        return deadline.written
    return deadline_in_words(deadline, lang)


def deadline_in_words(deadline: A.Deadline, lang: str = "da") -> str:
    da = lang == "da"
    year = "" if deadline.year is None else f" {deadline.year}"
    number = deadline.number or 1
    match deadline.kind:
        case A.DeadlineKind.DATE if deadline.year is not None:
            return format_date(date(deadline.year, number, deadline.day or 1), lang)
        case A.DeadlineKind.MONTH_END:
            return f"ultimo {month_name(number, lang)}{year}" if da else f"end of {month_name(number, lang)}{year}"
        case A.DeadlineKind.MONTH_START:
            return f"primo {month_name(number, lang)}{year}" if da else f"start of {month_name(number, lang)}{year}"
        case A.DeadlineKind.YEAR_END:
            return f"ultimo{year}" if da else f"end of{year}"
        case A.DeadlineKind.YEAR_START:
            return f"primo{year}" if da else f"start of{year}"
        case A.DeadlineKind.QUARTER:
            return f"{number}. kvartal{year}" if da else f"Q{number}{year}"
        case A.DeadlineKind.HALF:
            return f"{number}. halvår{year}" if da else f"H{number}{year}"
        case A.DeadlineKind.YEAR:
            return year.strip()
        case A.DeadlineKind.YEARS:
            return f"{deadline.year}-{deadline.last_year}"
        case A.DeadlineKind.PERIOD_END:
            return "periodens udgang" if da else "end of period"
    return deadline.written


# --------------------------------------------------------------------------
# Durations, quantities, targets and scoring in words

_TIME_UNITS: dict[A.TimeUnit, dict[str, tuple[str, str]]] = {
    A.TimeUnit.HOURS: {"da": ("time", "timer"), "en": ("hour", "hours")},
    A.TimeUnit.DAYS: {"da": ("dag", "dage"), "en": ("day", "days")},
    A.TimeUnit.WEEKS: {"da": ("uge", "uger"), "en": ("week", "weeks")},
    A.TimeUnit.MONTHS: {"da": ("måned", "måneder"), "en": ("month", "months")},
    A.TimeUnit.MINUTES: {"da": ("minut", "minutter"), "en": ("minute", "minutes")},
}

_RELATIONS: dict[A.Relation, dict[str, str]] = {
    A.Relation.AT_LEAST: {"da": "mindst", "en": "at least"},
    A.Relation.AT_MOST: {"da": "højst", "en": "at most"},
    A.Relation.BELOW: {"da": "under", "en": "below"},
    A.Relation.ABOVE: {"da": "over", "en": "above"},
    A.Relation.EXACTLY: {"da": "præcis", "en": "exactly"},
}


def describe_relation(relation: A.Relation, lang: str = "da") -> str:
    return _RELATIONS[relation][lang]


def format_duration(duration: A.Duration, lang: str = "da") -> str:
    """ "30 dage", "1 dag", "3 weeks"."""
    singular, plural = _TIME_UNITS[duration.unit][lang]
    return f"{format_number(duration.value, lang)} {singular if duration.value == 1 else plural}"


def format_quantity(quantity: A.Quantity, lang: str = "da") -> str:
    """A scoring threshold: "90 pct.", "81 point", "120 dage", "12"."""
    unit = quantity.unit
    if unit == "%":
        return format_percent(quantity.value, lang)
    if unit == "point":
        return format_points(quantity.value, lang)
    for time_unit in A.TimeUnit:
        if unit == time_unit.value:
            return format_duration(A.Duration(quantity.value, time_unit), lang)
    number = format_number(quantity.value, lang)
    return f"{number} {unit}" if unit else number


def describe_target(target: A.Target, lang: str = "da") -> str:
    """The target in plain words, e.g. "mindst 90 pct. af sagerne inden for 30 dage";
    a target for some years of a multi-year plan ends "i 2017" / "in 2016-2019"."""
    text = _describe_target_body(target, lang)
    if target.years is None:
        return text
    return f"{text} {'i' if lang == 'da' else 'in'} {target.years.words()}"


def _describe_target_body(target: A.Target, lang: str) -> str:
    da = lang == "da"
    match target:
        case A.ShareTarget():
            return _describe_share(target, lang)
        case A.TimeTarget(statistic=statistic, relation=relation, duration=duration):
            lead = {"average": ("gennemsnitlig", "on average"), "maximum": ("i alle sager", "in every case")}
            words = lead.get(statistic, (statistic, statistic))[0 if da else 1]
            return f"{words} {describe_relation(relation, lang)} {format_duration(duration, lang)}"
        case A.CountTarget(relation=relation, value=value, unit=unit):
            text = f"{describe_relation(relation, lang)} {format_number(value, lang)}"
            return f"{text} {unit}" if unit else text
        case A.ChangeTarget():
            return _describe_change(target, lang)
        case A.LevelTarget():
            return _describe_level(target, lang)
        case A.MilestoneTarget(approval=A.Approval(kind=A.ApprovalKind.APPROVED, party=party)):
            return (
                f"milepælen nås og godkendes af {party} inden fristen"
                if da
                else f"the milestone is reached and approved by {party} by the deadline"
            )
        case A.MilestoneTarget(approval=A.Approval(kind=A.ApprovalKind.JOINT, party=party)):
            return (
                f"milepælen nås sammen med {party} inden fristen"
                if da
                else f"the milestone is reached together with {party} by the deadline"
            )
        case A.MilestoneTarget():
            return "milepælen nås inden fristen" if da else "the milestone is reached by the deadline"
        case A.AssessmentTarget(relation=relation, points=points, maximum=maximum):
            if relation is None or points is None:
                scale = "vurdering på en skala til" if da else "assessed on a scale of"
                return f"{scale} {format_points(maximum, lang)}"
            of = "af" if da else "of"
            return (
                f"{describe_relation(relation, lang)} {format_number(points, lang)} {of} {format_points(maximum, lang)}"
            )
        case A.StatusTarget():
            return "status fastholdes" if da else "the status is kept"
    raise TypeError(target)


def _describe_share(target: A.ShareTarget, lang: str) -> str:
    da = lang == "da"
    of = target.of or ("sagerne" if da else "cases")
    parts = [
        f"{describe_relation(target.relation, lang)} {format_percent(target.percent, lang)} {'af' if da else 'of'} {of}"
    ]
    if target.within is not None:
        parts.append(f"{'inden for' if da else 'within'} {format_duration(target.within, lang)}")
    if target.limit is not None:
        parts.append(f"{'inden for' if da else 'within'} {target.limit}")
    if target.by is not None:
        parts.append(f"{'senest' if da else 'by'} {format_deadline(target.by, lang)}")
    return " ".join(parts)


def _describe_change(target: A.ChangeTarget, lang: str) -> str:
    if target.level is not None and target.baseline is not None and target.baseline.value is not None:
        return _describe_change_levels(target, target.baseline, target.level, lang)
    da = lang == "da"
    if da:
        text = f"{'stigning' if target.direction is A.ChangeDirection.INCREASE else 'fald'} på {format_percent(target.percent, lang)}"
    else:
        noun = "increase" if target.direction is A.ChangeDirection.INCREASE else "reduction"
        text = f"{noun} of {format_percent(target.percent, lang)}"
    if target.yearly:
        text += " om året" if da else " a year"
    baseline = target.baseline
    if baseline is None:
        return text
    against = "i forhold til" if da else "compared with"
    if baseline.years is not None and not baseline.label:
        value = f" ({format_number(baseline.value, lang)})" if baseline.value is not None else ""
        return f"{text} {against} {baseline.years.words()}{value}"
    if baseline.label and baseline.value is not None:
        return f"{text} {against} {baseline.label} ({format_number(baseline.value, lang)})"
    if baseline.label:
        return f"{text} {against} {baseline.label}"
    if baseline.value is not None:
        return f"{text} {against} {format_number(baseline.value, lang)}"
    return text


def _describe_change_levels(target: A.ChangeTarget, baseline: A.Baseline, level: Decimal, lang: str) -> str:
    """ "stigning fra 2.000 (2015) til 2.400 brugere (20 pct.)"."""
    da = lang == "da"
    noun = {
        (A.ChangeDirection.INCREASE, True): "stigning",
        (A.ChangeDirection.REDUCTION, True): "fald",
        (A.ChangeDirection.INCREASE, False): "increase",
        (A.ChangeDirection.REDUCTION, False): "reduction",
    }[(target.direction, da)]
    start = format_number(baseline.value or Decimal(0), lang)
    if baseline.years is not None:
        start += f" ({baseline.years.words()})"
    end = format_number(level, lang) + (f" {target.unit}" if target.unit else "")
    percent = format_percent(target.percent.quantize(Decimal("0.1")).normalize() + 0, lang)
    return f"{noun} {'fra' if da else 'from'} {start} {'til' if da else 'to'} {end} ({percent})"


def _describe_level(target: A.LevelTarget, lang: str) -> str:
    da = lang == "da"
    if target.words is not None:  # a level in words is printed as the plan words it
        text = target.words
    else:
        text = f"{'niveau' if da else 'level'} {format_number(target.level or 0, lang)}"
    if target.areas:
        joined = join_words(target.areas, lang)
        return f"{text} {'på' if da else 'in'} {joined}"
    if target.area_count is not None:
        return f"{text} {'på' if da else 'in'} {target.area_count} {'områder' if da else 'areas'}"
    return text


def format_kroner(value: Decimal | int, lang: str = "da") -> str:
    """An amount of money: "120.000 kr." / "DKK 120,000" (øre only when there are any)."""
    value = Decimal(value)
    pattern = "#,##0.00" if value != value.to_integral_value() else "#,##0"
    number = format_decimal(value, format=pattern, locale=locale_of(lang), decimal_quantization=True)
    return f"{number} kr." if lang == "da" else f"DKK {number}"


def describe_pay_amount(amount: A.PayAmount, lang: str = "da") -> str:
    """ "150.000 kr.", "10 pct. af lønnen", "80 pct. af den maksimale resultatløn"."""
    if amount.kroner is not None:
        return format_kroner(amount.kroner, lang)
    percent = format_percent(amount.percent or Decimal(0), lang)
    if amount.of_salary:
        return f"{percent} {'af lønnen' if lang == 'da' else 'of salary'}"
    return f"{percent} {'af den maksimale resultatløn' if lang == 'da' else 'of the maximum pay'}"


def describe_pay_linear(floor: A.Quantity, full: A.Quantity, lang: str = "da") -> str:
    """The proportional rule in words."""
    low, high = format_quantity(floor, lang), format_quantity(full, lang)
    if lang == "da":
        return (
            f"Ingen resultatløn ved en målopfyldelse på {low} eller derunder; fuld resultatløn fra {high}; "
            "lineært derimellem."
        )
    return f"No performance pay at {low} or below; full pay from {high}; linear in between."


def join_words(words: tuple[str, ...] | list[str], lang: str = "da") -> str:
    """ "A, B og C" / "A, B and C"."""
    items = list(words)
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + (" og " if lang == "da" else " and ") + items[-1]


def describe_step(step: A.Step, lang: str = "da") -> str:
    """ "mindst 90 pct.: 100 pct." or "ellers: 0 pct."."""
    fulfilment = format_percent(step.fulfilment, lang)
    if step.relation is None or step.threshold is None:
        return f"{'ellers' if lang == 'da' else 'otherwise'}: {fulfilment}"
    return f"{describe_relation(step.relation, lang)} {format_quantity(step.threshold, lang)}: {fulfilment}"


def describe_scoring(scoring: A.Scoring, lang: str = "da") -> str:
    """How a result becomes fulfilment, in words."""
    da = lang == "da"
    match scoring.kind:
        case A.ScoringKind.THRESHOLD:
            return (
                "opfyldt, hvis måltallet nås, ellers ikke opfyldt"
                if da
                else "met if the target is reached, otherwise not met"
            )
        case A.ScoringKind.LINEAR:
            low = format_quantity(scoring.floor, lang) if scoring.floor else "?"
            high = format_quantity(scoring.ceiling, lang) if scoring.ceiling else "?"
            return f"lineær opfyldelse fra {low} til {high}" if da else f"linear fulfilment from {low} to {high}"
        case A.ScoringKind.STEPS:
            return "; ".join(describe_step(s, lang) for s in scoring.steps)
        case A.ScoringKind.MILESTONES_EACH:
            return "hver milepæl tæller ligeligt" if da else "each milestone counts equally"
        case A.ScoringKind.MILESTONES_ALL:
            return "alle milepæle skal nås" if da else "every milestone must be reached"
        case A.ScoringKind.AREAS_ALL:
            return "alle områder skal nå niveauet" if da else "every area must reach the level"
        case A.ScoringKind.AREAS_SHARE:
            return "andelen af områder, der når niveauet" if da else "the share of areas that reach the level"
    raise TypeError(scoring.kind)


# --------------------------------------------------------------------------
# Fixed headings and phrases of the documents

PHRASES: dict[str, dict[str, str]] = {
    "plan_title": {"da": "Mål- og resultatplan", "en": "Performance plan"},
    "contents": {"da": "Indholdsfortegnelse", "en": "Contents"},
    "introduction": {"da": "Indledning", "en": "Introduction"},
    "strategy": {"da": "Strategisk målbillede", "en": "Strategic picture"},
    "mission": {"da": "Mission", "en": "Mission"},
    "vision": {"da": "Vision", "en": "Vision"},
    "values": {"da": "Værdier", "en": "Values"},
    "effects": {"da": "Langsigtede effekter for samfundet", "en": "Long-term effects for society"},
    "conditions": {"da": "Rammevilkår", "en": "Framework conditions"},
    "marker": {"da": "Pejlemærker", "en": "Markers"},
    "core_tasks": {"da": "Præsentation af kerneopgaver", "en": "Core tasks"},
    "core_task": {"da": "Kerneopgave", "en": "Core task"},
    "goals": {"da": "Mål og resultatkrav", "en": "Goals and result requirements"},
    "col_number": {"da": "Nr.", "en": "No."},
    "col_area": {"da": "Område", "en": "Area"},
    "col_goal": {"da": "Mål", "en": "Goal"},
    "col_requirements": {"da": "Resultatkrav", "en": "Result requirements"},
    "col_weight": {"da": "Vægt", "en": "Weight"},
    "background": {"da": "Baggrund", "en": "Background"},
    "follow_up": {"da": "Opfølgning", "en": "Follow-up"},
    "pay": {
        "da": "Rammer for fastlæggelse af direktørens resultatløn",
        "en": "Framework for the director's performance pay",
    },
    "pay_schedule": {"da": "Målopfyldelse", "en": "Fulfilment"},
    "pay_share": {"da": "Resultatløn", "en": "Performance pay"},
    "pay_maximum": {"da": "Maksimal resultatløn", "en": "Maximum performance pay"},
    "pay_salary": {"da": "Løn", "en": "Salary"},
    "pay_cap": {"da": "Loft", "en": "Cap"},
    "pay_rule": {"da": "Fra målopfyldelse til resultatløn", "en": "From fulfilment to pay"},
    "period": {"da": "Kontraktperiode og påtegning", "en": "Contract period and signatures"},
    "annex_methods": {
        "da": "Bilag – opgørelsesmetode for resultatkrav",
        "en": "Annex – measurement of result requirements",
    },
    "requirement": {"da": "Resultatkrav", "en": "Result requirement"},
    "weight_word": {"da": "vægt", "en": "weight"},
    "method_text": {"da": "Opgørelsesmetode", "en": "Method"},
    "source": {"da": "Datakilde", "en": "Data source"},
    "measured_by": {"da": "Måles af", "en": "Measured by"},
    "frequency": {"da": "Hyppighed", "en": "Frequency"},
    "criteria": {"da": "Kriterium for opfyldelse", "en": "Criterion for fulfilment"},
    "scale": {"da": "Pointskala", "en": "Point scale"},
    "scale_points": {"da": "Point", "en": "Points"},
    "scale_definition": {"da": "Definition", "en": "Definition"},
    "targets": {"da": "Måltal", "en": "Targets"},
    "scoring": {"da": "Opfyldelse", "en": "Scoring"},
    "deadline": {"da": "Frist", "en": "Deadline"},
    "col_type": {"da": "Type", "en": "Type"},
    "weights_section": {"da": "Vægtning af resultatkrav", "en": "Weighting of result requirements"},
    "scope": {"da": "Omfang", "en": "Scope"},
    "sub_weights": {"da": "Vægtning", "en": "Weighting"},
    "sub_name": {"da": "Del", "en": "Part"},
    "sub_target": {"da": "Måltal", "en": "Target"},
    "group_total": {"da": "Samlet", "en": "Total"},
    "points_word": {"da": "point", "en": "points"},
    "weights_summary": {"da": "Samlet vægtning", "en": "Weights"},
    "total": {"da": "I alt", "en": "Total"},
    "dropped": {"da": "Udgået", "en": "Dropped"},
    "unscored": {"da": "indgår ikke i pointopgørelsen", "en": "not scored"},
    "footnotes": {"da": "Fodnoter", "en": "Notes"},
    "director_title": {"da": "Direktør", "en": "Director"},
    "head_title": {"da": "Departementschef", "en": "Permanent Secretary"},
    "the_date": {"da": "den", "en": "on"},
    "department_of": {"da": "departement", "en": "department"},
    # Sentences with {fields}: filled with str.format by the renderer.
    "parties": {
        "da": "Denne mål- og resultatplan er indgået mellem {department} og {agency}.",
        "en": "This performance plan is agreed between {department} and {agency}.",
    },
    "director_contract": {
        "da": "Mål- og resultatplanen er samtidig gældende som direktørkontrakt for direktør {name}.",
        "en": "The performance plan is also the director's contract for director {name}.",
    },
    "kodeks": {
        "da": (
            "Direktøren forpligter sig til at sikre, at de syv centrale pligter for embedsmænd i "
            "centraladministrationen, som er beskrevet i Kodeks VII, efterleves i egen organisation."
        ),
        "en": (
            "The director undertakes to ensure that the seven central duties of civil servants in central "
            "government, described in Kodeks VII, are observed in the organisation."
        ),
    },
    "validity": {
        "da": "Mål- og resultatplanen er gældende fra {start} til og med {end}.",
        "en": "The performance plan applies from {start} up to and including {end}.",
    },
    "renegotiation": {
        "da": (
            "Genforhandling af kontrakten kan finde sted, hvis der opstår ekstraordinære ændringer af det grundlag, "
            "hvorpå kontrakten er indgået, der i væsentlig grad påvirker den samlede målopfyldelse."
        ),
        "en": (
            "The contract may be renegotiated if extraordinary changes occur in the basis on which it was agreed "
            "that significantly affect the overall fulfilment."
        ),
    },
    "next_negotiation": {
        "da": "Forhandlinger om mål- og resultatplanen for {year} indledes i {when}.",
        "en": "Negotiations on the performance plan for {year} begin in {when}.",
    },
    "follow_up_default": {
        "da": (
            "Departementet indkalder status på målopfyldelse samt styrelsens vurdering af den forventede "
            "målopfyldelse for hele året i forbindelse med udgiftsopfølgning I, II og III."
        ),
        "en": (
            "The department asks for the status of fulfilment and the agency's estimate of the expected "
            "fulfilment for the whole year at expenditure follow-ups I, II and III."
        ),
    },
    "method_heading": {
        "da": "Resultatkrav {ref} {area} (vægt {weight})",
        "en": "Requirement {ref} {area} (weight {weight})",
    },
    "group_heading": {"da": "Samlet {weight}", "en": "Total {weight}"},
    # Allonges (mrpl.amend, mrpl.render.allonge)
    "amendment": {"da": "Allonge", "en": "Amendment"},
    "amendments": {"da": "Allonger", "en": "Amendments"},
    "amendment_to": {"da": "Allonge til {title}", "en": "Amendment to {title}"},
    "amendment_intro": {
        "da": "Denne allonge ændrer {title} for {agency}. Ændringerne gælder fra {date}.",
        "en": "This amendment changes {title} for {agency}. The changes apply from {date}.",
    },
    "amendment_log_intro": {
        "da": "Planen er ændret ved nedenstående allonger. Planen ovenfor er gengivet, som den gælder efter ændringerne.",
        "en": "The plan has been changed by the amendments below. The plan above is shown as it applies after them.",
    },
    "amendment_date": {"da": "Dato", "en": "Date"},
    "amendment_changes": {"da": "Ændringer", "en": "Changes"},
    "amendment_reason": {"da": "Begrundelse", "en": "Reason"},
    "amendment_signed": {"da": "Underskrevet af", "en": "Signed by"},
    "amendment_signatures": {"da": "Påtegning", "en": "Signatures"},
    "op_weight": {"da": "Vægten af {ref} ændres til {weight}.", "en": "The weight of {ref} becomes {weight}."},
    "op_drop": {"da": "Resultatkrav {ref} udgår: {reason}.", "en": "Requirement {ref} is dropped: {reason}."},
    "op_deadline": {
        "da": "Fristen for resultatkrav {ref} ændres til {deadline}.",
        "en": "The deadline of requirement {ref} becomes {deadline}.",
    },
    "op_target": {
        "da": "Måltallet for resultatkrav {ref} ændres til: {target}.",
        "en": "The target of requirement {ref} becomes: {target}.",
    },
    "op_text": {"da": "Teksten til {ref} ændres til: «{text}»", "en": "The text of {ref} becomes: “{text}”"},
    "op_add": {"da": "Nyt resultatkrav {ref}: «{text}»", "en": "New requirement {ref}: “{text}”"},
}


def phrase(key: str, lang: str = "da") -> str:
    """A fixed heading or sentence of the document in `lang`."""
    try:
        entry = PHRASES[key]
    except KeyError:
        raise KeyError(f"no phrase {key!r} in mrpl.i18n.PHRASES") from None
    return entry[lang] if lang in entry else entry["da"]


def describe_goal_rule(rule: A.GoalRule, lang: str = "da") -> str:
    """A `målstatus` rule in words: "alle resultatkrav opfyldt", "opfyldelse mindst 80 % (delvist: mindst 50 %)"."""
    da = lang == "da"
    match rule.kind:
        case A.GoalRuleKind.ALL:
            return (
                "opfyldt, når alle resultatkrav er opfyldt, ellers ikke opfyldt"
                if da
                else "met when all requirements are met, else not met"
            )
        case A.GoalRuleKind.ASSESSMENT:
            return "departementets vurdering" if da else "the department's assessment"
    if rule.relation is None or rule.threshold is None:
        return ""
    if rule.threshold == 100 and rule.partly_threshold is None:  # the default
        return (
            "opfyldt, når alle resultatkrav er opfyldt; delvist opfyldt, når en del er nået"
            if da
            else "met when all requirements are met; partly met when some of it is reached"
        )
    words = "opfyldt ved en målopfyldelse på" if da else "met at a fulfilment of"
    text = f"{words} {describe_relation(rule.relation, lang)} {format_number(rule.threshold, lang)} %"
    if rule.partly_relation is not None and rule.partly_threshold is not None:
        partly = "delvist opfyldt ved" if da else "partly met at"
        text += (
            f", {partly} {describe_relation(rule.partly_relation, lang)} {format_number(rule.partly_threshold, lang)} %"
        )
    return text


# --------------------------------------------------------------------------
# The semantic diff (mrpl.diff): sentences and the names of plan fields

DIFF_PHRASES: dict[str, dict[str, str]] = {
    "title": {"da": "Ændringer fra {old} til {new}", "en": "Changes from {old} to {new}"},
    "none": {"da": "Ingen ændringer.", "en": "No changes."},
    "count_one": {"da": "1 ændring", "en": "1 change"},
    "count_many": {"da": "{n} ændringer", "en": "{n} changes"},
    "year_shift": {
        "da": "Perioderne er forskellige ({old} → {new}): frister sammenlignes efter deres placering i året.",
        "en": "The periods differ ({old} → {new}): deadlines are compared by their position in the year.",
    },
    "plan": {"da": "Planen", "en": "The plan"},
    "section": {"da": "Afsnit {ref}", "en": "Section {ref}"},
    "goal": {"da": "Mål {ref}", "en": "Goal {ref}"},
    "requirement": {"da": "Resultatkrav {ref}", "en": "Requirement {ref}"},
    "added": {"da": "tilføjet", "en": "added"},
    "removed": {"da": "fjernet", "en": "removed"},
    "renumbered": {"da": "omnummereret fra {old}", "en": "renumbered from {old}"},
    "moved": {"da": "flyttet", "en": "moved"},
    "moved_from": {"da": "flyttet fra {old}", "en": "moved from {old}"},
    "paired": {
        "da": "genkendt på titel og tekst, {percent} ens",
        "en": "recognised by title and text, {percent} alike",
    },
    "by_position": {"da": "sammenlignet efter placering i året", "en": "compared by position in the year"},
    "none_value": {"da": "(ingen)", "en": "(none)"},
    "yes": {"da": "ja", "en": "yes"},
    "no": {"da": "nej", "en": "no"},
    "before": {"da": "Før", "en": "Before"},
    "after": {"da": "Efter", "en": "After"},
    "change": {"da": "Ændring", "en": "Change"},
    "weights": {"da": "Vægte", "en": "Weights"},
    "weights_total": {"da": "i alt {old} → {new}", "en": "total {old} → {new}"},
    "share": {"da": "andel", "en": "share"},
    "row": {"da": "række {n}", "en": "row {n}"},
    "total_row": {"da": "totalrække", "en": "total row"},
    "row_added": {"da": "ny række", "en": "new row"},
    "row_removed": {"da": "række fjernet", "en": "row removed"},
    "legend": {
        "da": "Slettet tekst er overstreget, ny tekst understreget.",
        "en": "Deleted text is struck through, new text underlined.",
    },
}

FIELD_NAMES: dict[str, tuple[str, str]] = {
    "header": ("planhoved", "header"),
    "title": ("titel", "title"),
    "ministry": ("ministerium", "ministry"),
    "department": ("departement", "department"),
    "agency": ("styrelse", "agency"),
    "agency_short": ("forkortelse", "short name"),
    "year": ("år", "year"),
    "period": ("periode", "period"),
    "total": ("total", "total"),
    "director": ("direktør", "director"),
    "head": ("departementschef", "department head"),
    "name": ("navn", "name"),
    "place": ("sted", "place"),
    "signed_on": ("dato", "date"),
    "signed_year": ("år for underskrift", "year of signature"),
    "organisation": ("organisation", "organisation"),
    "renegotiation": ("genforhandling", "renegotiation"),
    "next_negotiation": ("næste forhandling", "next negotiation"),
    "introduction": ("indledning", "introduction"),
    "standard_texts": ("standardtekster", "standard texts"),
    "annex_title": ("bilagstitel", "annex title"),
    "strategy": ("strategi", "strategy"),
    "parts": ("del", "part"),
    "goals_intro": ("målindledning", "goals introduction"),
    "weights": ("vægttabel", "weight table"),
    "entries": ("vægte", "weights"),
    "follow_up": ("opfølgning", "follow-up"),
    "pay": ("resultatløn", "performance pay"),
    "schedule": ("skala", "schedule"),
    "footnote": ("fodnote", "footnote"),
    "footnotes": ("fodnoter", "footnotes"),
    "annexes": ("bilag", "annex"),
    "text": ("tekst", "text"),
    "area": ("titel", "title"),
    "weight": ("vægt", "weight"),
    "preamble": ("kravtekst", "preamble"),
    "postscript": ("kravnote", "postscript"),
    "background": ("baggrund", "background"),
    "methods": ("opgørelsesmetode", "method"),
    "attributes": ("attributter", "attributes"),
    "display": ("visning", "display"),
    "deadlines": ("frist", "deadline"),
    "scope": ("omfang", "scope"),
    "targets": ("måltal", "target"),
    "scoring": ("opfyldelse", "scoring"),
    "groups": ("delvægte", "sub-weights"),
    "dropped": ("udgået", "dropped"),
    "scored": ("scoret", "scored"),
    "source": ("datakilde", "data source"),
    "measured_by": ("måles af", "measured by"),
    "frequency": ("hyppighed", "frequency"),
    "criteria": ("kriterium", "criteria"),
    "scale": ("pointskala", "point scale"),
    "ref": ("henvisning", "reference"),
    "items": ("indhold", "content"),
    "rows": ("budgetrækker", "budget rows"),
    "columns": ("kolonner", "columns"),
    "unit": ("enhed", "unit"),
    "reference": ("finanslov", "appropriation"),
    "note": ("bemærkning", "note"),
    "closing": ("afslutning", "closing"),
    "table_title": ("tabeltitel", "table title"),
    "background_title": ("baggrundstitel", "background title"),
    "intro": ("indledning", "introduction"),
    "kind": ("art", "kind"),
    "label": ("mærke", "label"),
    "number": ("nummer", "number"),
    "budget": ("budget", "budget"),
    "core_tasks": ("kerneopgaver", "core tasks"),
    "amendments": ("allonger", "amendments"),
    "date": ("dato", "date"),
    "reason": ("begrundelse", "reason"),
    "operations": ("ændringer", "changes"),
    "mission": ("mission", "mission"),
    "vision": ("vision", "vision"),
    "values": ("værdier", "values"),
    "effects": ("effekter", "effects"),
    "conditions": ("rammevilkår", "conditions"),
    "marker": ("pejlemærke", "marker"),
}


def diff_phrase(key: str, lang: str = "da", **values: object) -> str:
    """A sentence of the diff report in `lang`, its {fields} filled."""
    entry = DIFF_PHRASES[key]
    text = entry[lang] if lang in entry else entry["da"]
    return text.format(**values) if values else text


def field_name(name: str, lang: str = "da") -> str:
    """What a reader calls a plan field ("deadlines" → "frist"); a field without a
    name here (one added to the AST later) reads as itself."""
    names = FIELD_NAMES.get(name)
    if names is None:
        return name.replace("_", " ")
    return names[0] if lang == "da" else names[1]
