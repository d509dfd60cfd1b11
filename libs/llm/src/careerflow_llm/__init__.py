"""CareerFlow's model client: limits that tell a slow model from a stuck one, validated JSON
output and a circuit breaker, over Ollama's native API or the OpenAI-compatible one.

Every worker makes one :class:`LLMClient` from its own :class:`LLMSettings` (``provider``
picks the API); ``chat`` returns an :class:`LLMResult` that holds either the validated output or
the reason to fall back. The client's :class:`ModelSpeed` keeps the model's figures from earlier
calls. ``OllamaClient`` and ``OllamaSettings`` are the former names of the same classes.
"""

from careerflow_llm.breaker import BreakerConfig, BreakerSnapshot, BreakerState, CircuitBreaker
from careerflow_llm.client import ChatMessage, LLMClient, LLMResult, OllamaClient
from careerflow_llm.output import InvalidOutput, clean_model_text, parse_output, streamed_items
from careerflow_llm.pace import CallFigures, ModelSpeed
from careerflow_llm.settings import LLMSettings, OllamaSettings, Provider, ResponseFormat

__all__ = [
    "BreakerConfig",
    "BreakerSnapshot",
    "BreakerState",
    "CallFigures",
    "ChatMessage",
    "CircuitBreaker",
    "InvalidOutput",
    "LLMClient",
    "LLMResult",
    "LLMSettings",
    "ModelSpeed",
    "OllamaClient",
    "OllamaSettings",
    "Provider",
    "ResponseFormat",
    "clean_model_text",
    "parse_output",
    "streamed_items",
]
