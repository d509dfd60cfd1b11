"""CareerFlow's Ollama client: limits that tell a slow model from a stuck one, validated JSON
output and a circuit breaker.

Every worker makes one :class:`OllamaClient` from its own :class:`OllamaSettings`; ``chat``
returns an :class:`LLMResult` that holds either the validated output or the reason to fall back.
The client's :class:`ModelSpeed` keeps the model's own figures from earlier calls.
"""

from careerflow_llm.breaker import BreakerConfig, BreakerSnapshot, BreakerState, CircuitBreaker
from careerflow_llm.client import ChatMessage, LLMResult, OllamaClient, OllamaSettings
from careerflow_llm.output import InvalidOutput, clean_model_text, parse_output
from careerflow_llm.pace import CallFigures, ModelSpeed

__all__ = [
    "BreakerConfig",
    "BreakerSnapshot",
    "BreakerState",
    "CallFigures",
    "ChatMessage",
    "CircuitBreaker",
    "InvalidOutput",
    "LLMResult",
    "ModelSpeed",
    "OllamaClient",
    "OllamaSettings",
    "clean_model_text",
    "parse_output",
]
