"""Concepts added since an index's arrays last grew, answered from small tables beside them.

Growing the arrays (``graph_growth``) renumbers every post-order number after the new ones: a
few passes over all of them, about 100 ms at 4.3 M concepts, for every committed link. A link
adds leaves under existing concepts, whose answers are easy to keep apart: a pending concept's
ancestors are its parents' and theirs, and no compiled concept lies below it. So the last
commits' concepts wait here (a commit costs in proportion to what it adds) and are folded into
the arrays in one growth every ``FOLD_AT`` concepts, or when the arrays themselves are read.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

#: Pending concepts an index holds before it folds them into its arrays in one growth.
FOLD_AT = 512


@dataclass(frozen=True)
class Pending:
    """Nodes ``first``, ``first + 1``, ... added in order, each under nodes before it (none
    is an ancestor of a node before it). Never changed: ``with_nodes`` makes a new one, so an
    index that readers hold keeps answering as it did."""

    first: int  # the number of nodes in the arrays: pending node k is node first + k
    parents: tuple[tuple[int, ...], ...] = ()
    ancestors: tuple[tuple[int, ...], ...] = ()  # nearest first, as a growth orders them
    depths: tuple[tuple[int, int], ...] = ()  # (min, max) depth
    children: dict[int, tuple[int, ...]] = field(default_factory=dict)  # node -> its pending children
    below: dict[int, tuple[int, ...]] = field(default_factory=dict)  # node -> its pending descendants

    def __len__(self) -> int:
        return len(self.parents)

    def with_nodes(self, batch: Sequence[Sequence[int]], ancestors_of: Callable[[int], Sequence[int]],
                   depths_of: Callable[[int], tuple[int, int]]) -> Pending:
        """These nodes and ``batch``'s after them; ``ancestors_of`` and ``depths_of`` answer for
        the nodes in the arrays."""
        parents, ancestors, depths = list(self.parents), list(self.ancestors), list(self.depths)
        children, below = dict(self.children), dict(self.below)

        def anc(x: int) -> Sequence[int]:
            return ancestors[x - self.first] if x >= self.first else ancestors_of(x)

        def depth(x: int) -> tuple[int, int]:
            return depths[x - self.first] if x >= self.first else depths_of(x)

        for ups in batch:
            node = self.first + len(parents)
            found = set(ups).union(*(anc(u) for u in ups))
            parents.append(tuple(ups))
            ancestors.append(tuple(sorted(found, key=lambda x: (-depth(x)[1], x))))  # as a growth orders them
            depths.append((min((depth(u)[0] for u in ups), default=-1) + 1,
                           max((depth(u)[1] for u in ups), default=-1) + 1))
            for u in ups:
                children[u] = (*children.get(u, ()), node)
            for a in found:
                below[a] = (*below.get(a, ()), node)
        return Pending(self.first, tuple(parents), tuple(ancestors), tuple(depths), children, below)

    def is_a(self, node: int, ancestor: int) -> bool:
        """For pairs where either node is pending (no node in the arrays lies below a pending one)."""
        if node == ancestor:
            return True
        return node >= self.first and ancestor in self.ancestors[node - self.first]
