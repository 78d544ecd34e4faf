"""Every step kind, one module each: a kind is found here by its module, nothing else to edit.

Each module in this package defines ``STEP``, the pydantic model of its kind (a subclass of
``flows.steps.StepBase`` or ``AskingBase``) with its behaviour. The flow schema's step union
is built from them, in module-name order.
"""

from __future__ import annotations

import importlib
import pkgutil
from typing import get_args

from flows.steps import AskingBase, StepBase


def _discover() -> tuple[type[StepBase], ...]:
    found = []
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        module = importlib.import_module(f"{__name__}.{info.name}")
        step = getattr(module, "STEP", None)
        if not (isinstance(step, type) and issubclass(step, StepBase)):
            raise TypeError(f"{module.__name__} must define STEP, a StepBase subclass")
        found.append(step)
    return tuple(found)


STEP_MODELS: tuple[type[StepBase], ...] = _discover()
"""Every step kind's model."""
ASKING_MODELS: tuple[type[AskingBase], ...] = tuple(
    model for model in STEP_MODELS if issubclass(model, AskingBase)
)
KIND_NAMES: tuple[str, ...] = tuple(
    get_args(model.model_fields["kind"].annotation)[0] for model in STEP_MODELS
)
