"""A sequence whose items are made one at a time as they are read.

An index file is memory-mapped: its terms, passages and articles are read from the mapped
arrays only when asked for, so none of them exists as a Python object until then.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import TypeVar, overload

T = TypeVar("T")


class Made(Sequence[T]):
    """Indexing, slicing and iteration over ``_item(i)``, which a subclass defines."""

    def _item(self, i: int) -> T:
        raise NotImplementedError

    @overload
    def __getitem__(self, i: int) -> T: ...
    @overload
    def __getitem__(self, i: slice) -> list[T]: ...
    def __getitem__(self, i: int | slice) -> T | list[T]:
        if isinstance(i, slice):
            return [self._item(j) for j in range(*i.indices(len(self)))]
        return self._item(range(len(self))[i])

    def __iter__(self) -> Iterator[T]:
        return (self._item(i) for i in range(len(self)))
