"""Model access for the kernel: the client protocol, the litellm gateway, the embedded model."""
