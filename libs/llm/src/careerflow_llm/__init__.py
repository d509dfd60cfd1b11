"""CareerFlow's Ollama client: deadlines, validated JSON output and a circuit breaker.

Every worker makes one :class:`OllamaClient` from its own :class:`OllamaSettings`; ``chat``
returns an :class:`LLMResult` that holds either the validated output or the reason to fall back.
"""

from careerflow_llm.breaker import BreakerConfig, BreakerSnapshot, BreakerState, CircuitBreaker
from careerflow_llm.client import ChatMessage, LLMResult, OllamaClient, OllamaSettings
from careerflow_llm.output import InvalidOutput, clean_model_text, parse_output

__all__ = [
    "BreakerConfig",
    "BreakerSnapshot",
    "BreakerState",
    "ChatMessage",
    "CircuitBreaker",
    "InvalidOutput",
    "LLMResult",
    "OllamaClient",
    "OllamaSettings",
    "clean_model_text",
    "parse_output",
]
