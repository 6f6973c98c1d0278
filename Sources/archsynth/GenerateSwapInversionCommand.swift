import ArchSynth
import Foundation

/// `archsynth generate template swap-inversion --form FORM --input SHAPE --name TYPE -o FILE
/// [--hidden M] [--squarings K]` (or `--two-step affine:2,svf:HxW` instead of --form): the swap-inversion template (issue 8) as one Swift file that
/// imports ArchSynthRuntime (check it with `archsynth verify FILE`).
enum GenerateSwapInversionCommand {
    static let usage = "generate template swap-inversion (--form affine:2|affine:3|rigid:2|rigid:3|svf:HxW | --two-step affine:2,svf:HxW) --input N|HxW --name TYPE -o FILE [--hidden M] [--squarings K]"

    static func run(_ rest: [String], command: [String]) throws {
        let args = try Arguments(
            rest, valueOptions: GenerationFlags.values.union(SolverFlags.values).union(["--form", "--input", "--name", "-o", "--hidden", "--squarings", "--two-step"]),
            flagOptions: CommonOptions.flags)
        try args.expectPositionals(0)
        var twoStep: [String] = []
        if let t = args.value("--two-step") {
            twoStep = t.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            guard twoStep.count == 2, twoStep[0] == "affine:2", twoStep[1].hasPrefix("svf:"), args.value("--form") == nil else {
                throw UsageError("--two-step takes affine:2,svf:HxW (affine first, then a field; no --form), not \"\(t)\"")
            }
        }
        let formText = try twoStep.last ?? args.required("--form", what: "FORM (affine:2, affine:3, rigid:2, rigid:3 or svf:HxW)")
        let shape = try args.required("--input", what: "SHAPE (a vector length N or an image HxW)")
        let hidden = try args.integer("--hidden") ?? 16, squarings = try args.integer("--squarings") ?? 7
        let inputSize: Int
        do { inputSize = try SwapInversionTemplate.checkedInputSize(form: formText, input: shape, hidden: hidden, squarings: squarings) } catch {
            throw UsageError("\(error)")
        }
        let typeName = try args.required("--name", what: "TYPE (the Swift type to declare)")
        do { try SwiftIdentifier.validateTypeName(typeName) } catch { throw UsageError("\(error)") }
        let destination = try args.required("-o", what: "FILE (the Swift file to write)")
        let url = try CommonOptions.checkedFile(destination, example: "\(typeName).swift")
        // Estimated before the networks are solved: a matrix form's first layer reads every input
        // value (Hom_C₂ of the swapped pair into the hidden layer: 2·input·hidden parameters, twice
        // as many basis entries of four numbers each); a field form's layers are channel bases.
        let limits = try GenerationFlags.limits(args)
        func estimate(_ text: String) -> (parameters: Int, constants: Int) {
            guard let form = SwapInversionTemplate.form(text), let k = form.matrixSize.map({ _ in form.coefficientCount }) else { return (0, 0) }
            let parameters = GenerationLimits.sum(GenerationLimits.product(2, inputSize, hidden), GenerationLimits.product(2, hidden, hidden), GenerationLimits.product(hidden, k))
            return (parameters, GenerationLimits.product(8, parameters))
        }
        let estimates = ([formText] + (twoStep.isEmpty ? [] : ["affine:2"])).map(estimate)
        try GenerationFlags.check(
            limits, parameters: estimates.map(\.parameters).reduce(0) { GenerationLimits.sum($0, $1) },
            constants: estimates.map(\.constants).reduce(0) { GenerationLimits.sum($0, $1) }, what: "the swap-inversion template (--input \(shape), --hidden \(hidden))")
        // The solver's limits (named in its errors, e.g. --max-index-pairs) can be raised here too.
        let solverOptions = try SolverFlags.options(args)
        let template = try SwapInversionTemplate(formText: formText, inputSize: inputSize, hidden: hidden, squarings: squarings, options: solverOptions)
        var source = template.source(typeName: typeName, command: GeneratedFileHeader.commandLine(command))
        if !twoStep.isEmpty {
            let affine = try SwapInversionTemplate(formText: "affine:2", inputSize: inputSize, hidden: hidden, options: solverOptions)
            source = SwapInversionTemplate.twoStepSource(affine: affine, field: template, typeName: typeName, command: GeneratedFileHeader.commandLine(command))
        }
        try OutputSet.write(source, to: url)
        GeneratedReport.emit(
            args, file: destination, type: typeName, kind: twoStep.isEmpty ? "swap-inversion" : "swap-inversion-two-step", parameters: template.parameterCount,
            lines: ["wrote \(destination): \(typeName), swap-inversion \(formText), input \(inputSize) per image, \(template.parameterCount) parameters (basis dimensions \(template.basisDimensions.map(String.init).joined(separator: ", ")))"])
    }
}
