"""Formulas of derived indicators (DHIS2's indicator expressions): arithmetic over other indicators' codes, parsed with
Python's own parser into a tree that is checked node by node against a short allow-list and then evaluated by walking
it over NumPy arrays. Nothing is ever passed to eval; names other than codes and the functions below are refused.

    (WOMEN_TRAINED + MEN_TRAINED) / POPULATION * 1000        ln(GNIPC)        min(EYS, 18)
"""

import ast
from collections.abc import Iterable, Mapping

import numpy as np
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

MAX_LENGTH = 500
MAX_NODES = 200

_BINARY = {
    ast.Add: np.add,
    ast.Sub: np.subtract,
    ast.Mult: np.multiply,
    ast.Div: np.divide,
    ast.Pow: np.power,
}
_UNARY = {ast.USub: np.negative, ast.UAdd: np.positive}
# Functions a formula may call, with how many arguments each takes.
FUNCTIONS = {
    "ln": (np.log, 1),
    "log10": (np.log10, 1),
    "exp": (np.exp, 1),
    "sqrt": (np.sqrt, 1),
    "abs": (np.abs, 1),
    "min": (np.minimum, 2),
    "max": (np.maximum, 2),
}


class FormulaError(ValidationError):
    pass


def parse(text: str) -> ast.Expression:
    """The checked tree of a formula; FormulaError (translated) if it is not one."""
    if not text or not text.strip():
        raise FormulaError(_("Write a formula."))
    if len(text) > MAX_LENGTH:
        raise FormulaError(_("A formula has %(max)s characters at most.") % {"max": MAX_LENGTH})
    try:
        tree = ast.parse(text.strip(), mode="eval")
    except (SyntaxError, ValueError):
        raise FormulaError(_("This formula cannot be read: check its brackets and operators.")) from None
    nodes = list(ast.walk(tree))
    if len(nodes) > MAX_NODES:
        raise FormulaError(_("This formula is too long."))
    for node in nodes:
        _check(node)
    return tree


def _check(node: ast.AST) -> None:
    if isinstance(node, ast.Expression | ast.Load | ast.Name):
        return
    if isinstance(node, ast.BinOp) and type(node.op) in _BINARY:
        return
    if isinstance(node, ast.UnaryOp) and type(node.op) in _UNARY:
        return
    if type(node) in _BINARY or type(node) in _UNARY:
        return
    if isinstance(node, ast.Constant) and type(node.value) in (int, float):
        if not abs(node.value) < 1e15:
            raise FormulaError(_("A number in a formula is too large."))
        return
    if isinstance(node, ast.Call):
        name = node.func.id if isinstance(node.func, ast.Name) else None
        if name in FUNCTIONS and not node.keywords and len(node.args) == FUNCTIONS[name][1]:
            return
        if name in FUNCTIONS:
            raise FormulaError(
                _("%(function)s takes %(count)s value(s).") % {"function": name, "count": FUNCTIONS[name][1]}
            )
        raise FormulaError(
            _("Unknown function. A formula may use: %(functions)s.") % {"functions": ", ".join(FUNCTIONS)}
        )
    raise FormulaError(_("A formula may hold only codes, numbers, + - * / ** and brackets, and the functions listed."))


def codes(text: str) -> set[str]:
    """The indicator codes a formula refers to."""
    tree = parse(text)
    called = {id(node.func) for node in ast.walk(tree) if isinstance(node, ast.Call)}
    return {node.id for node in ast.walk(tree) if isinstance(node, ast.Name) and id(node) not in called}


def evaluate(text: str, values: Mapping[str, np.ndarray | float]) -> np.ndarray:
    """The formula over arrays of values (one element per subject and period); NaN where an input is missing or the
    arithmetic is undefined (a division by zero, the logarithm of zero)."""
    tree = parse(text)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        result = np.asarray(_eval(tree.body, values), dtype=float)
    return np.where(np.isfinite(result), result, np.nan)


def _eval(node: ast.AST, values: Mapping[str, np.ndarray | float]):
    if isinstance(node, ast.Constant):
        return float(node.value)
    if isinstance(node, ast.Name):
        return np.asarray(values[node.id], dtype=float)
    if isinstance(node, ast.BinOp):
        return _BINARY[type(node.op)](_eval(node.left, values), _eval(node.right, values))
    if isinstance(node, ast.UnaryOp):
        return _UNARY[type(node.op)](_eval(node.operand, values))
    function = FUNCTIONS[node.func.id][0]
    return function(*(_eval(arg, values) for arg in node.args))


def check_definitions(formulas: Mapping[str, str], known: Iterable[str]) -> dict[str, str]:
    """The errors of a framework's formulas (code -> message): unknown codes, a formula that refers to itself, and
    cycles through other derived indicators. `known` is every code of the framework."""
    known = set(known)
    errors: dict[str, str] = {}
    uses: dict[str, set[str]] = {}
    for code, text in formulas.items():
        try:
            uses[code] = codes(text)
        except FormulaError as error:
            errors[code] = error.messages[0]
            continue
        if code in uses[code]:
            errors[code] = _("A formula cannot refer to its own indicator.")
        elif unknown := sorted(uses[code] - known):
            errors[code] = _("Unknown code(s) in the formula: %(codes)s.") % {"codes": ", ".join(unknown)}
    for code in _in_cycles(uses):
        errors.setdefault(code, _("This formula depends on itself through other derived indicators."))
    return errors


def _in_cycles(uses: Mapping[str, set[str]]) -> set[str]:
    """The derived indicators that reach themselves through the formulas of others."""
    cyclic = set()
    for start in uses:
        seen, stack = set(), list(uses[start])
        while stack:
            code = stack.pop()
            if code == start:
                cyclic.add(start)
                break
            if code in seen:
                continue
            seen.add(code)
            stack.extend(uses.get(code, ()))
    return cyclic


def evaluation_order(formulas: Mapping[str, str]) -> list[str]:
    """Derived codes in an order where each comes after the derived codes it uses (formulas already checked)."""
    uses = {code: codes(text) & set(formulas) for code, text in formulas.items()}
    order: list[str] = []
    while uses:
        ready = sorted(code for code, needs in uses.items() if not needs - set(order))
        if not ready:
            raise FormulaError(_("This formula depends on itself through other derived indicators."))
        order.extend(ready)
        for code in ready:
            del uses[code]
    return order


def check_formula(indicator) -> None:
    """FormulaError if the indicator's formula is not valid in its framework (as saved, with this formula)."""
    siblings = indicator.framework.indicators.exclude(pk=indicator.pk).values_list("code", "formula")
    formulas = {code: text for code, text in siblings if text}
    formulas[indicator.code] = indicator.formula
    known = {code for code, _text in siblings} | {indicator.code}
    errors = check_definitions(formulas, known)
    if indicator.code in errors:
        raise FormulaError(errors[indicator.code])
