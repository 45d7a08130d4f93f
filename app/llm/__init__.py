"""Chat models behind the pipeline's model stages: one `ChatModel` protocol (protocol.py), an
OpenAI-compatible HTTP client (openai_compat.py) and an in-process transformers model (local.py).
app/factory.py picks one from CLINQA_LLM__BACKEND; failures raise app.llm.errors.ModelError subclasses."""
