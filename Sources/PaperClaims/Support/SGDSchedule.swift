import AttentionModels
import Foundation
import PropertyEngine

/// The SGD protocol of the stochastic claims (docs/MATHEMATICS.md §7.2), read from a claim's `protocol:` section: the
/// learning rate eta = step-fraction / h_max, the burn-in and batch lengths in relaxation times
/// tau = 1 / (eta h_min), the number of batches, the prompts per step, and a cap on the steps
/// of one trial (which also bounds tau when h_min is tiny, as without a spectral gap).
struct SGDSchedule {
    let stepFraction: Double
    let burnInRelaxations: Double
    let batchRelaxations: Double
    let batches: Int
    let promptsPerStep: Int
    let promptsPerUnit: Int
    let maxSteps: Int

    init(_ entry: ClaimEntry) throws {
        let p = entry.method
        stepFraction = try p.positive("step-fraction")
        burnInRelaxations = try p.positive("burn-in-relaxations")
        batchRelaxations = try p.positive("batch-relaxations")
        batches = try p.integer("batches", atLeast: 2)
        promptsPerStep = try p.integer("prompts-per-step", atLeast: 1)
        promptsPerUnit = try p.integer("prompts-per-unit", atLeast: 1)
        maxSteps = try p.integer("max-steps", atLeast: 1)
        guard promptsPerStep % promptsPerUnit == 0 else {
            throw CatalogueError(file: entry.file, field: "protocol.prompts-per-step", problem: "must be a multiple of prompts-per-unit (\(promptsPerUnit))")
        }
    }

    /// The bias test for a layer whose curvature at the optimum lies in [smallest, largest].
    func biasTest(layer: any PromptLayer, promptLength: Int, largestCurvature: Double, smallestCurvature: Double, workers: Int = 1) -> DirectionBiasTest {
        let eta = stepFraction / largestCurvature
        let tau = 1 / (eta * max(smallestCurvature, largestCurvature / Double(maxSteps)))
        // Share the step cap between the burn-in and the batches in the ratio of their lengths.
        let segments = Double(batches) * batchRelaxations + burnInRelaxations
        let scale = min(1, Double(maxSteps) / (segments * tau))
        let batchLength = max(1, Int((batchRelaxations * tau * scale).rounded(.up)))
        let burnIn = max(1, Int((burnInRelaxations * tau * scale).rounded(.up)))
        return DirectionBiasTest(layer: layer, length: promptLength, unitsPerStep: promptsPerStep / promptsPerUnit, learningRate: eta,
                                 burnIn: burnIn, batchLength: batchLength, batches: batches, workers: workers)
    }
}
