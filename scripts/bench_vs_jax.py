#!/usr/bin/env python3
"""The harness against fully-jitted JAX on the paper's SGD figures (Fig. 3a, Fig. 7a).

Run through scripts/bench-vs-jax, which creates the JAX virtual environment, builds the harness
and pins this driver (and so every process it starts) to the chosen cores. Run alone it needs a
Python with jax, numpy and scipy, and the release binary .build/release/harness-bench.

For each figure, one after the other in the same run:
  1. the harness, `harness-bench protocol <figure>` (float64), timed as a whole process
     (start-up, setup, training, JSON output) with --workers = the number of pinned cores;
  2. JAX at float64 and at float32, each in its own process: the whole training loop jitted
     (lax.scan over the steps, jax.vmap over the runs, the runs sharded over one XLA host device
     per pinned core), compiled ahead of time (compile time reported, excluded from the timed
     run), the timed call ending in block_until_ready;
  3. a check that JAX computed the same thing: it trains from the harness's very starts on the
     harness's covariance (Fig. 3a) or spike (Fig. 7a), with its own random prompts, so run r of
     JAX and run r of the harness are two independent draws of the same random variable and
     their difference is symmetric about 0. A paired t-test on the final alignment, squared norm,
     log distance travelled log|mu - mu0| and last batch loss (false-fail rate about 0.1% per statistic,
     so at most 0.4% per comparison; the t-test is exact for normal differences) must not reject; and a negative control, JAX with the learning rate
     x 1.25 (a planted bug), must be rejected by the same test (run by default with --quick, on
     request with --control).
It prints a table (system, precision, wall time, compile time, harness/JAX ratio) with the
machine (lscpu model, avx2/avx512f), the date and the load (uptime before and after), and
writes it as Markdown with --markdown FILE.
"""

import argparse
import datetime
import json
import math
import os
import platform
import re
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
HARNESS_BENCH = os.path.join(ROOT, ".build", "release", "harness-bench")
WITH_BLAS = os.path.join(ROOT, "scripts", "with-blas")

# The published protocols (docs/MATHEMATICS.md §9.2, §9.4; shared/SPEC.md §5).
PUBLISHED = {"fig3a": {"runs": 10, "steps": 3000}, "fig7a": {"runs": 10, "steps": 1000}}
# --quick: enough to exercise every path (and to make the equivalence check and its negative
# control decisive) in about a minute on 2 cores.
QUICK = {"fig3a": {"runs": 10, "steps": 200}, "fig7a": {"runs": 10, "steps": 10}}
ALPHA = 1e-3  # false-fail rate of each paired t-test when both systems compute the same thing
CONTROL_LR_FACTOR = 1.25  # the planted bug of the negative control


# ----------------------------------------------------------------------------------------------
# The JAX side (run in a child process: `bench_vs_jax.py jax --precision f64 ...`)
# ----------------------------------------------------------------------------------------------

def jax_main(args):
    """Trains one figure in JAX from the harness's setting (JSON on stdin) and prints JSON."""
    setting = json.load(sys.stdin)
    cores = len(os.sched_getaffinity(0))
    runs = setting["runs"]
    # One XLA host device per pinned core, the runs sharded across them (as many as divide the
    # runs): XLA runs one device's vmapped loop on one thread, so this is how JAX uses the cores.
    devices = args.devices or max(k for k in range(1, cores + 1) if runs % k == 0)
    if runs % devices:
        raise SystemExit(f"--jax-devices {devices} must divide the runs ({runs})")
    os.environ["XLA_FLAGS"] = (os.environ.get("XLA_FLAGS", "") + f" --xla_force_host_platform_device_count={devices}").strip()
    import jax
    if args.precision == "f64":
        jax.config.update("jax_enable_x64", True)
    if args.prng != "threefry":
        jax.config.update("jax_default_prng_impl", args.prng)
    import jax.numpy as jnp
    from jax import lax
    from jax.sharding import Mesh, NamedSharding, PartitionSpec

    dtype = jnp.float64 if args.precision == "f64" else jnp.float32
    figure, steps = setting["figure"], setting["steps"]
    lr_factor = args.lr_factor

    def loss(mu, x, lam):
        """Mean over prompts of |x_1 - T(X)|^2, T the softmax attention output (SPEC §2)."""
        alpha = x[..., 0, :] @ mu                        # <mu, x_1>, one per prompt
        beta = x @ mu                                    # <mu, x_k>, per prompt and token
        w = jax.nn.softmax(lam * alpha[..., None] * beta, axis=-1)
        t = jnp.einsum("...k,...kd->...d", w, x)
        return jnp.mean(jnp.sum((x[..., 0, :] - t) ** 2, axis=-1))

    # The protocol's settings come from the harness's JSON (ProtocolBenchmark writes them once).
    p = setting["protocol"]
    if figure == "fig3a":
        d, length, batch, lam, lr = p["dimension"], p["promptLength"], p["batch"], p["lam"], p["learningRate"] * lr_factor
        s = jnp.asarray(setting["covariance"], dtype=dtype).reshape(d, d)
        factor = jnp.linalg.cholesky(s)                  # S = F F^T

        def prompts(key):
            g = jax.random.normal(key, (batch, length, d), dtype)
            return g @ factor.T                          # tokens i.i.d. N(0, S)
    elif figure == "fig7a":
        d, n, xi, theta, length = p["dimension"], p["degreesOfFreedom"], p["xi"], p["theta"], p["promptLength"]
        covs, per_cov, lam, lr = p["covariances"], p["promptsPerCovariance"], p["lam"], p["learningRate"] * lr_factor
        v = jnp.asarray(setting["spike"], dtype=dtype)
        # V^(1/2) = xi I + (sqrt(xi^2 + theta) - xi) v v^T, V = xi^2 I + theta v v^T.
        v_half = xi * jnp.eye(d, dtype=dtype) + (math.sqrt(xi * xi + theta) - xi) * jnp.outer(v, v)

        def prompts(key):
            kz, kg = jax.random.split(key)
            z = jax.random.normal(kz, (covs, n, d), dtype) @ v_half    # rows i.i.d. N(0, V)
            s = jnp.einsum("cnd,cne->cde", z, z)                      # S = Z^T Z ~ W_d(n, V)
            factor = jnp.linalg.cholesky(s)
            g = jax.random.normal(kg, (covs, per_cov, length, d), dtype)
            return jnp.einsum("cpld,ced->cple", g, factor)            # tokens i.i.d. N(0, S)
    else:
        raise SystemExit(f"unknown figure {figure}")

    def run(key, mu0):
        def step(mu, k):
            return mu - lr * jax.grad(loss)(mu, prompts(k), lam), None
        train_key, last_key = jax.random.split(key)
        mu, _ = lax.scan(step, mu0, jax.random.split(train_key, steps))
        return mu, loss(mu, prompts(last_key), lam)     # the final batch loss, as the harness reports

    mesh = Mesh(jax.devices()[:devices], ("runs",))
    sharded = NamedSharding(mesh, PartitionSpec("runs"))
    keys = jax.device_put(jax.random.split(jax.random.key(args.seed), runs), sharded)
    starts = jax.device_put(jnp.asarray(setting["starts"], dtype=dtype), sharded)
    train = jax.jit(jax.vmap(run))
    t0 = time.perf_counter()
    compiled = train.lower(keys, starts).compile()
    compile_seconds = time.perf_counter() - t0
    t0 = time.perf_counter()
    final, last_loss = jax.block_until_ready(compiled(keys, starts))
    run_seconds = time.perf_counter() - t0
    json.dump({"precision": args.precision, "compileSeconds": compile_seconds, "runSeconds": run_seconds,
               "final": [[float(x) for x in row] for row in final], "finalBatchLoss": [float(x) for x in last_loss],
               "jax": jax.__version__, "devices": devices, "prng": args.prng, "lrFactor": lr_factor,
               "backend": jax.default_backend()}, sys.stdout)


# ----------------------------------------------------------------------------------------------
# The driver
# ----------------------------------------------------------------------------------------------

def sh(command):
    """The stripped stdout of a shell command, or '?' if it fails."""
    try:
        return subprocess.run(command, shell=True, capture_output=True, text=True, check=True).stdout.strip()
    except (subprocess.CalledProcessError, OSError):
        return "?"


def machine():
    cpu = sh("lscpu | sed -n 's/^Model name: *//p' | head -1")
    flags = open("/proc/cpuinfo").read()
    present = {f: re.search(r"\b" + f + r"\b", flags) is not None for f in ("avx2", "avx512f")}
    simd = ", ".join(f"{f} {'yes' if ok else 'no'}" for f, ok in present.items())
    return f"{cpu} ({simd}), {os.cpu_count()} cores"


def load():
    return sh("uptime").split("load average:")[-1].strip()


def run_harness(figure, runs, steps, workers, seed):
    command = [WITH_BLAS, HARNESS_BENCH, "protocol", figure, "--runs", str(runs), "--steps", str(steps),
               "--workers", str(workers), "--seed", str(seed)]
    t0 = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True)
    wall = time.perf_counter() - t0
    if done.returncode != 0:
        raise SystemExit(f"the harness failed ({' '.join(command)}):\n{done.stderr}")
    result = json.loads(done.stdout.strip().splitlines()[-1])
    result["wallSeconds"] = wall
    result["command"] = " ".join(command[1:]).replace(ROOT + "/", "")
    return result


def run_jax(setting, precision, args, lr_factor=1.0):
    command = [sys.executable, os.path.abspath(__file__), "jax", "--precision", precision, "--seed", str(args.seed),
               "--prng", args.prng, "--lr-factor", str(lr_factor), "--devices", str(args.jax_devices or 0)]
    done = subprocess.run(command, input=json.dumps(setting), capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"JAX ({precision}) failed:\n{done.stderr}")
    return json.loads(done.stdout)


def alignment(mu, target):
    norm = math.sqrt(sum(x * x for x in mu))
    return abs(sum(a * b for a, b in zip(mu, target))) / norm if norm > 0 else float("nan")


def statistics(final, starts, target):
    """Per run: final alignment, squared norm and log of the distance travelled |mu - mu0|. The
    last is the most sensitive to a wrong step: its paired difference is the log of the ratio of
    the distances, which a learning rate off by 25% shifts by about log 1.25 in every run."""
    return {"alignment": [alignment(mu, target) for mu in final],
            "squared norm": [sum(x * x for x in mu) for mu in final],
            "log distance travelled": [math.log(math.dist(mu, mu0)) for mu, mu0 in zip(final, starts)]}


def paired_check(harness, jax_result, target):
    """Paired t-tests of JAX's final statistics against the harness's, run by run."""
    from scipy import stats
    h = statistics(harness["final"], harness["starts"], target)
    h["last batch loss"] = harness["finalBatchLoss"]
    j = statistics(jax_result["final"], harness["starts"], target)
    j["last batch loss"] = jax_result["finalBatchLoss"]
    n = len(harness["final"])
    critical = stats.t.ppf(1 - ALPHA / 2, n - 1)
    lines, agree = [], True
    for name in h:
        diffs = [b - a for a, b in zip(h[name], j[name])]
        mean = sum(diffs) / n
        sd = math.sqrt(sum((x - mean) ** 2 for x in diffs) / (n - 1)) if n > 1 else float("nan")
        half_width = critical * sd / math.sqrt(n)
        ok = math.isfinite(half_width) and abs(mean) <= half_width
        agree &= ok
        lines.append(f"{name}: harness mean {sum(h[name]) / n:.6g}, JAX mean {sum(j[name]) / n:.6g}, "
                     f"mean paired difference {mean:+.3g} (band +-{half_width:.3g} = t(0.9995, {n - 1}) x sd/sqrt(n)) "
                     f"{'ok' if ok else 'DIFFERENT'}")
    return agree, lines


def fmt_seconds(s):
    return f"{s:.3g} s" if s < 100 else f"{s:.0f} s"


def driver(args):
    cores = len(os.sched_getaffinity(0))
    if not os.access(HARNESS_BENCH, os.X_OK):
        raise SystemExit(f"{HARNESS_BENCH} is missing: build it with scripts/with-blas swift build -c release --product harness-bench")
    protocol = QUICK if args.quick else PUBLISHED
    figures = args.figures.split(",")
    for f in figures:
        if f not in PUBLISHED:
            raise SystemExit(f"--figures: unknown figure {f!r} (known: {', '.join(PUBLISHED)})")
    control = args.control or args.quick
    started = datetime.datetime.now(datetime.timezone.utc)
    header = [f"date: {started:%Y-%m-%d %H:%M} UTC", f"machine: {machine()}",
              f"pinned to {cores} core(s) (affinity {sorted(os.sched_getaffinity(0))}): harness --workers {cores}, "
              f"JAX {'one XLA host device per core' if not args.jax_devices else f'{args.jax_devices} XLA host device(s)'}",
              f"load before (uptime 1/5/15 min): {load()}",
              f"harness: {sh(f'git -C {ROOT} rev-parse --short HEAD')}{' (modified tree)' if sh(f'git -C {ROOT} status --porcelain --untracked-files=no') else ''}"]
    print("\n".join(header), flush=True)
    rows, checks = [], []
    for figure in figures:
        runs = args.runs or protocol[figure]["runs"]
        steps = args.steps or protocol[figure]["steps"]
        label = f"{figure}, {runs} runs x {steps} steps" + (" (published protocol)" if (runs, steps) == tuple(PUBLISHED[figure].values()) else " (reduced)")
        print(f"\n== {label} ==", flush=True)
        load_then = load().split(",")[0]
        harness = run_harness(figure, runs, steps, cores, args.seed)
        print(f"harness float64: {harness['wallSeconds']:.2f} s whole process (training {harness['trainingSeconds']:.2f} s); "
              f"{harness['command']}", flush=True)
        rows.append((label, "harness (harness-bench protocol, whole process)", "float64", harness["wallSeconds"], None, None, load_then))
        target = harness["target"]
        for precision in ("f64", "f32"):
            load_then = load().split(",")[0]
            result = run_jax(harness, precision, args)
            ratio = harness["wallSeconds"] / result["runSeconds"]
            print(f"JAX {result['jax']} {precision}: {result['runSeconds']:.2f} s run (compile {result['compileSeconds']:.2f} s, "
                  f"{result['devices']} device(s), prng {result['prng']}); harness / JAX = {ratio:.3g}", flush=True)
            rows.append((label, f"JAX {result['jax']}, jit(vmap(lax.scan)), {result['devices']} device(s)",
                         "float64" if precision == "f64" else "float32", result["runSeconds"], result["compileSeconds"], ratio, load_then))
            agree, lines = paired_check(harness, result, target)
            print(f"  same computation? {'yes' if agree else 'NO'} (paired t-tests over {runs} runs, false-fail rate {ALPHA:g} each)")
            for line in lines:
                print("    " + line)
            checks.append((f"{figure} JAX {precision}", agree, True))
        if control:
            result = run_jax(harness, "f64", args, lr_factor=CONTROL_LR_FACTOR)
            agree, lines = paired_check(harness, result, target)
            print(f"  negative control, JAX f64 with the learning rate x {CONTROL_LR_FACTOR} (a planted bug): "
                  f"{'rejected, as it must be' if not agree else 'NOT REJECTED: the check is too weak at this size'}")
            for line in lines:
                print("    " + line)
            checks.append((f"{figure} control (lr x {CONTROL_LR_FACTOR})", agree, False))
    after = load()
    print(f"\nload after (uptime 1/5/15 min): {after}")
    table = ["| figure and protocol | system | precision | wall time (compile excluded) | compile | harness / JAX | load at start (1 min) |",
             "|---|---|---|---|---|---|---|"]
    for label, system, precision, wall, compile_s, ratio, load_then in rows:
        table.append(f"| {label} | {system} | {precision} | {fmt_seconds(wall)} | "
                     f"{fmt_seconds(compile_s) if compile_s is not None else '-'} | {f'{ratio:.3g}' if ratio else '-'} | {load_then} |")
    verdicts = [f"- {name}: {'same computation' if agree else 'different'}"
                + ("" if agree == expected else "  <-- UNEXPECTED") for name, agree, expected in checks]
    print("\n" + "\n".join(table))
    print("\n" + "\n".join(verdicts))
    failed = [name for name, agree, expected in checks if agree != expected]
    if args.markdown:
        text = ("# The harness against fully-jitted JAX\n\n" + "\n".join(f"- {line}" for line in header)
                + f"\n- load after: {after}\n- command: `scripts/bench-vs-jax {' '.join(sys.argv[1:])}`\n\n"
                + "\n".join(table) + "\n\nEquivalence checks (paired t-tests, false-fail rate "
                + f"{ALPHA:g} per statistic):\n\n" + "\n".join(verdicts) + "\n")
        folder = os.path.dirname(os.path.abspath(args.markdown))
        with tempfile.NamedTemporaryFile("w", dir=folder, delete=False) as out:
            out.write(text)
        os.replace(out.name, args.markdown)
        print(f"\nwrote {args.markdown}")
    if failed:
        print(f"\nFAILED: {', '.join(failed)}; rerun: scripts/bench-vs-jax {' '.join(sys.argv[1:])}")
        sys.exit(1)


def main():
    if len(sys.argv) > 1 and sys.argv[1] == "jax":
        parser = argparse.ArgumentParser(prog="bench_vs_jax.py jax")
        parser.add_argument("--precision", choices=("f64", "f32"), required=True)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--prng", default="threefry", choices=("threefry", "rbg", "unsafe_rbg"))
        parser.add_argument("--lr-factor", type=float, default=1.0)
        parser.add_argument("--devices", type=int, default=0)
        jax_main(parser.parse_args(sys.argv[2:]))
        return
    parser = argparse.ArgumentParser(prog="scripts/bench-vs-jax", description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="reduced runs and steps: checks the script end to end in about a minute")
    parser.add_argument("--figures", default="fig3a,fig7a", help="comma-separated: fig3a, fig7a (default both)")
    parser.add_argument("--runs", type=int, help="runs per figure (default: published 10, or the --quick value)")
    parser.add_argument("--steps", type=int, help="SGD steps per run (default: published, or the --quick value)")
    parser.add_argument("--seed", type=int, default=1, help="root seed of both systems (default 1)")
    parser.add_argument("--prng", default="threefry", choices=("threefry", "rbg", "unsafe_rbg"),
                        help="JAX's PRNG implementation (default threefry, JAX's default)")
    parser.add_argument("--jax-devices", type=int, help="XLA host devices the runs are sharded over (default: the most, up to "
                        "the number of pinned cores, that divide the runs)")
    parser.add_argument("--control", action="store_true", help="also run the negative control (always on with --quick)")
    parser.add_argument("--markdown", metavar="FILE", help="also write the table as Markdown to FILE")
    args = parser.parse_args()
    if (args.runs is not None and args.runs < 2) or (args.steps is not None and args.steps < 1) or args.seed < 0:
        parser.error("--runs must be >= 2 (the check needs pairs), --steps >= 1, --seed >= 0")
    driver(args)


if __name__ == "__main__":
    main()
