"""唱票复核: anyone who may see a ballot recounts it from its published papers — the counts per item and the
hash chain over the papers, compared with what was fixed at the close."""

from dataclasses import dataclass

from gonghui.democracy import rules
from gonghui.democracy.models import Ballot
from gonghui.democracy.services import commitment_of, tally


@dataclass(frozen=True)
class Recount:
    papers: int
    voters: int
    counts: dict
    counts_match: bool
    chain: str
    chain_match: bool
    passed: dict

    @property
    def ok(self) -> bool:
        return self.counts_match and self.chain_match and self.papers == self.voters


def recount(ballot: Ballot) -> Recount:
    papers = list(ballot.papers.all())
    items = list(ballot.items.all())
    counts = tally(papers, [i.position for i in items])
    match = all(counts[i.position] == {"yes": i.yes, "no": i.no, "abstain": i.abstain} for i in items)
    chain = commitment_of(ballot, papers)
    return Recount(papers=len(papers), voters=ballot.casts.count(), counts=counts, counts_match=match, chain=chain,
                   chain_match=chain == ballot.commitment,
                   passed={p: rules.passes(c["yes"], ballot.formal_total) for p, c in counts.items()})  # fmt: skip
