"""Packages whose names load on first use.

The analysis packages stand on scikit-learn, scipy, Surprise and nltk, which take seconds to import, and the
charts and the report on Altair (half a second). The app's first page needs none of them for its headline
figures, so `insight.segment`, `insight.predict`, `insight.recommend`, `insight.sentiment`, `insight.charts`
and `insight.report` import a submodule only when one of its names is first asked for (PEP 562): the heavy
libraries then load in the background job that runs the analysis, or when the first chart is drawn, not
before the first number. `tests/test_lazy_imports.py` checks the first page's import path stays light.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any


def lazy_exports(
    package: str, exports: dict[str, list[str]]
) -> tuple[Callable[[str], Any], Callable[[], list[str]], list[str]]:
    """`__getattr__`, `__dir__` and `__all__` for `package`, whose `exports` map a module to the names it
    provides: a submodule of the package (`"churn"`) or any module by its full name (`"insight.segment"`).
    A name is imported from its module when first asked for and then kept in the package; a submodule's own
    name (`insight.predict.clv`) imports that submodule."""
    where = {
        name: module if "." in module else f"{package}.{module}" for module, names in exports.items() for name in names
    }
    namespace = importlib.import_module(package).__dict__

    def __getattr__(name: str) -> Any:
        if name in where:
            value = getattr(importlib.import_module(where[name]), name)
        elif name.startswith("_"):
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        else:
            try:
                value = importlib.import_module(f"{package}.{name}")
            except ModuleNotFoundError as exc:
                if exc.name != f"{package}.{name}":
                    raise
                raise AttributeError(f"module {package!r} has no attribute {name!r}") from None
        namespace[name] = value
        return value

    def __dir__() -> list[str]:
        return sorted({*namespace, *where})

    return __getattr__, __dir__, sorted(where)
