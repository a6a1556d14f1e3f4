"""Any OpenAI-compatible chat server (OpenAI, Ollama, vLLM, llama.cpp) through the `openai` package.

Several segments go in one request as a numbered JSON object and must come back as one; the
prompt names the article and the glossary terms in those segments, and, when a draft is asked for
again, what the checks found wrong with the previous one. Temperature is low so the same
input gives the same draft, and a reply that is not exactly the JSON asked for is retried.
"""

from __future__ import annotations

import json
import re

import openai

from ..errors import L10nError
from . import Context, EngineError, Settings, http_failure

LANGUAGES = {"zh": "Chinese", "zh_TW": "Traditional Chinese", "en": "English", "ja": "Japanese", "ko": "Korean",
             "de": "German", "fr": "French", "es": "Spanish", "it": "Italian", "pt": "Portuguese",
             "ru": "Russian", "ar": "Arabic", "vi": "Vietnamese"}
NOTES_HEADING = "Your previous translation of this text had these errors; correct them:"
_FENCE = re.compile(r"^\s*```(?:json)?\s*(.*?)\s*```\s*$", re.DOTALL)


class OpenAIEngine:
    name = "openai"
    max_batch = 20
    max_chars = 6000
    supports_glossary = True
    supports_notes = True

    def __init__(self, settings: Settings):
        if not settings.model:
            raise L10nError("the openai engine needs a model: --model or `model` in [translate]")
        key = settings.key("OPENAI_API_KEY", required=not settings.url)  # a local server needs none
        self.model = settings.model
        self.temperature = float(settings.options.get("temperature", 0.1))
        self.client = openai.OpenAI(api_key=key or "none", base_url=settings.url or None, timeout=settings.timeout,
                                    max_retries=0)

    def translate_batch(self, texts: list[str], source: str, target: str, context: Context) -> list[str]:
        numbered = {str(i): text for i, text in enumerate(texts, 1)}
        try:
            reply = self.client.chat.completions.create(
                model=self.model, temperature=self.temperature,
                messages=[{"role": "system", "content": prompt(source, target, context)},
                          {"role": "user", "content": json.dumps(numbered, ensure_ascii=False)}])
        except openai.APITimeoutError:
            raise EngineError("openai: no reply in time", retryable=True) from None
        except openai.APIConnectionError:
            raise EngineError("openai: cannot reach the server", retryable=True) from None
        except openai.APIStatusError as exc:
            raise http_failure("openai", exc.status_code, exc.response.headers.get("retry-after")) from None
        except (ValueError, openai.APIResponseValidationError):  # the HTTP body itself is not JSON
            raise EngineError("openai: malformed reply", retryable=True) from None
        try:
            content = reply.choices[0].message.content or ""
            answer = json.loads(_FENCE.sub(r"\1", content))
        except (AttributeError, IndexError, TypeError, ValueError):
            raise EngineError("openai: the reply is not the JSON object asked for", retryable=True) from None
        if not isinstance(answer, dict) or set(answer) != set(numbered) or \
                not all(isinstance(v, str) for v in answer.values()):
            raise EngineError("openai: the reply does not hold one translation per segment", retryable=True)
        return [answer[key] for key in numbered]


def prompt(source: str, target: str, context: Context) -> str:
    """The system message: the task, the rules for placeholders, the article and the glossary."""
    src, tgt = LANGUAGES.get(source, source), LANGUAGES.get(target, target)
    lines = [
        f"You translate segments of a Markdown article from {src} into {tgt}.",
        "The user message is a JSON object mapping numbers to segments. Reply with only a JSON object "
        "mapping the same numbers to the translations, nothing else.",
        'Keep every tag like <x id="1"/> exactly as written, each one once: they stand for links, code '
        "and formatting. Put them where the words they belong to go in the translation.",
    ]
    if context.titles:
        lines.append("The article: " + " / ".join(context.titles))
    if context.terms:
        lines.append("Use these translations for these terms:")
        lines += [f"- {t.source} -> {t.target}" + (f" ({t.note})" if t.note else "") for t in context.terms]
    if context.notes:
        lines.append(NOTES_HEADING)
        lines += [f"- {note}" for note in context.notes]
    return "\n".join(lines)
