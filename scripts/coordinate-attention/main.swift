// Measurements for docs/results/coordinate-attention.md (issue 9). Built by
// scripts/coordinate-attention/run.sh together with the runtime sources and
// CoordinateAttentionExperiment.swift (one module, whole-module optimization).
//   run equivariance   [W,U] error over all (H·W)² translation pairs of a 16×16 grid
//   run experiment quick|full SEED   the shift test (CoordinateAttentionExperiment.run)
#if canImport(Glibc)
    import Glibc
#endif

let args = Array(CommandLine.arguments.dropFirst())
switch args.first {
case "equivariance":
    let size = args.count > 1 ? Int(args[1])! : 16
    let grid = PeriodicGrid(height: size, width: size)
    let (channels, depth) = (4, 2)
    let template = RegistrationNetworks.coordinateAttention(grid: grid, imageChannels: 1, channels: channels, depth: depth, stencil: 3, temperature: 1)
    var b = GraphBuilder(inputSizes: [grid.count, grid.count])
    let layers = RegistrationNetworks.featureLayers(grid: grid, imageChannels: 1, channels: channels, depth: depth, stencil: 3)
    let blocks = layers.map { b.parameters(for: $0) }
    let fa = RegistrationNetworks.apply(layers, blocks: blocks, to: b.inputs[0], &b)
    let fb = RegistrationNetworks.apply(layers, blocks: blocks, to: b.inputs[1], &b)
    let phi = b.apply(CoordinateAttention(grid: grid, channels: channels, temperature: 1), [fa, fb])
    let refine = [GridConvolution(grid: grid, inputChannels: 2, outputChannels: channels, stencil: 3), GridConvolution(grid: grid, inputChannels: channels, outputChannels: 2, stencil: 3)]
    let refineBlocks = refine.map { b.parameters(for: $0) }
    let z = RegistrationNetworks.twoStep(phi, moving: b.inputs[0], fixed: b.inputs[1], grid: grid, refine: refine, blocks: refineBlocks, &b)
    let twoStep = b.build(output: z)
    let baseline = RegistrationNetworks.displacementNetwork(grid: grid, imageChannels: 1, channels: 6, depth: 3, stencil: 3)
    let pt = RegistrationNetworks.initialParameters(template, seed: 1)
    let ps = RegistrationNetworks.initialParameters(twoStep, seed: 1)
    let pb = RegistrationNetworks.initialParameters(baseline, seed: 1)
    print("grid \(size)x\(size), all \(grid.count * grid.count) pairs (W, U), one standard-normal image pair (seed 7), random initial parameters (seed 1)")
    print("model\tparameters\tworst [W,U] coordinate error (grid units, circular)")
    let e1 = CoordinateAttentionExperiment.wuCoordinateError(grid: grid, inputs: 1, seed: 7) { CircularCoordinate.coordinates(template.forward(pt, $0), grid: grid) }
    print("template (\(depth) conv x \(channels) ch)\t\(template.parameterCount)\t\(e1)")
    let e2 = CoordinateAttentionExperiment.wuCoordinateError(grid: grid, inputs: 1, seed: 7) { CircularCoordinate.coordinates(twoStep.forward(ps, $0), grid: grid) }
    print("TwoStep (template + [U,U] refine, 2 conv)\t\(twoStep.parameterCount)\t\(e2)")
    let e3 = CoordinateAttentionExperiment.wuCoordinateError(grid: grid, inputs: 1, seed: 7) { RegistrationNetworks.coordinates(displacement: baseline.forward(pb, $0), grid: grid) }
    print("[U,U] displacement network (3 conv x 6 ch)\t\(baseline.parameterCount)\t\(e3)")
case "experiment":
    let quick = args.count > 1 && args[1] == "quick"
    let seed = args.count > 2 ? UInt64(args[2])! : 1
    print(CoordinateAttentionExperiment.run(quick: quick, seed: seed).report)
default:
    print("usage: run equivariance [SIZE] | run experiment quick|full [SEED]")
}
