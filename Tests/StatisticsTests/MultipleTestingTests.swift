import Testing
import Statistics

struct MultipleTestingTests {
    @Test func holmStepsDown() throws {
        // α = 0.05, m = 4: thresholds 0.0125, 0.01667, 0.025, 0.05 on the sorted p-values.
        // 0.01 ≤ 0.0125 rejects; 0.015 ≤ 0.01667 rejects; 0.03 > 0.025 stops (so 0.04 is kept
        // even though 0.04 ≤ 0.05) — exactly what distinguishes Holm from unadjusted testing.
        let rejected = try MultipleTesting.holmRejections(pValues: [0.04, 0.01, 0.03, 0.015], alpha: 0.05)
        #expect(rejected == [false, true, false, true])
        #expect(throws: StatisticsError.self) { try MultipleTesting.holmRejections(pValues: [2], alpha: 0.05) }
    }
}
