import Foundation

/// The median wall time in seconds of `repetitions` runs of `body`, after one untimed
/// warm-up run (pages in buffers and tables).
func medianSeconds(repetitions: Int, _ body: () -> Void) -> Double {
    let clock = ContinuousClock()
    body()
    let times = (0..<repetitions).map { _ in seconds(clock.measure(body)) }.sorted()
    return times[repetitions / 2]
}

/// Two bodies timed alternately, `repetitions` times each after one warm-up of each: the
/// median time of each and the median of the per-repetition ratios first / second. Pairing
/// the runs makes the ratio robust to the load of a shared machine drifting during the run.
func pairedMedians(repetitions: Int, _ first: (Int) -> Void, _ second: (Int) -> Void) -> (first: Duration, second: Duration, ratio: Double) {
    let timing = pairedTimings(repetitions: repetitions, first, second)
    return (timing.first, timing.second, timing.ratio)
}

/// `pairedMedians` plus the ratio of the two bodies' fastest runs, which on a loaded machine
/// is the closer estimate of the undisturbed ratio when each run is short (most runs of
/// either body are then slowed by preemption, its fastest runs are not).
func pairedTimings(repetitions: Int, _ first: (Int) -> Void, _ second: (Int) -> Void)
    -> (first: Duration, second: Duration, ratio: Double, fastestRatio: Double) {
    let clock = ContinuousClock()
    first(repetitions)
    second(repetitions)
    var a = [Duration](), b = [Duration](), ratios = [Double]()
    for t in 0..<repetitions {
        let x = clock.measure { first(t) }
        let y = clock.measure { second(t) }
        a.append(x)
        b.append(y)
        ratios.append(seconds(x) / seconds(y))
    }
    return (a.sorted()[repetitions / 2], b.sorted()[repetitions / 2], ratios.sorted()[repetitions / 2], seconds(a.min()!) / seconds(b.min()!))
}

/// A duration in seconds.
func seconds(_ d: Duration) -> Double {
    Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18
}

/// Three significant digits.
func format(_ x: Double) -> String { String(format: "%.3g", x) }
