"""The WeChat transport, sans-I/O: signatures, safe-mode crypto, XML in and out, the HTTP API seam."""
