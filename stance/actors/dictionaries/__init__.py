"""The event-data field's dictionaries: CAMEO/Phoenix actor and agent files (PETRARCH2 formats).

Readers only (:mod:`.actor_file`, :mod:`.agent_file`); matching them against text is
:mod:`stance.actors.cameo`. Verb files are read by :mod:`stance.events.verbs`.
"""

from stance.actors.dictionaries.actor_file import (
    ActorDictionary,
    ActorEntry,
    DatedCode,
    code_kind,
    load_actor_file,
    read_actor_file,
)
from stance.actors.dictionaries.agent_file import (
    AgentDictionary,
    AgentEntry,
    load_agent_file,
    read_agent_file,
)
from stance.actors.dictionaries.phrases import Phrase, parse_phrase, regular_plural

__all__ = [
    "ActorDictionary",
    "ActorEntry",
    "AgentDictionary",
    "AgentEntry",
    "DatedCode",
    "Phrase",
    "code_kind",
    "load_actor_file",
    "load_agent_file",
    "parse_phrase",
    "read_actor_file",
    "read_agent_file",
    "regular_plural",
]
