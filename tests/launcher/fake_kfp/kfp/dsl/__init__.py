# SPDX-License-Identifier: Apache-2.0
"""Names a component module imports with `from kfp.dsl import *`."""
from typing import Generic, TypeVar

T = TypeVar("T")


class Input(Generic[T]):
    pass


class Output(Generic[T]):
    pass


class Dataset:
    pass


class Model:
    pass


__all__ = ["Input", "Output", "Dataset", "Model"]
