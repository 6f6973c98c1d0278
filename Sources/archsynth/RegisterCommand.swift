import ArchSynth
import Foundation

/// `archsynth register --model model.json --fixed A.npy --moving B.npy -o field.npy [--warped W.npy]`:
/// the displacement u (float32, shape (2, H, W), pixels, channel 0 = row) with
/// moving(x + u(x)) ≈ fixed(x) (bilinear, periodic), and optionally the warped moving image.
/// Both images must have the model's size; outputs are written atomically.
enum RegisterCommand {
    static let usage = "register --model model.json --fixed A.npy --moving B.npy -o field.npy [--warped W.npy]"

    static func run(_ rest: [String]) throws {
        let args = try Arguments(rest, valueOptions: ["--model", "--fixed", "--moving", "-o", "--warped"], flagOptions: [])
        try args.expectPositionals(0)
        let modelPath = try args.required("--model", what: "model.json (from `archsynth train registration`)")
        let fixedPath = try args.required("--fixed", what: "A.npy (the fixed image)")
        let movingPath = try args.required("--moving", what: "B.npy (the moving image)")
        let destination = try args.required("-o", what: "field.npy (the displacement to write)")
        let url = try CommonOptions.checkedFile(destination, example: "field.npy")
        let warpedURL = try args.value("--warped").map { try CommonOptions.checkedFile($0, example: "warped.npy") }
        do {
            let (file, model) = try RegistrationModelFile.read(from: URL(fileURLWithPath: modelPath))
            let size = model.hyper.size
            let fixed = try RegistrationDataset.image(at: URL(fileURLWithPath: fixedPath), size: size, flag: "the model's size")
            let moving = try RegistrationDataset.image(at: URL(fileURLWithPath: movingPath), size: size, flag: "the model's size")
            let phi = model.coordinates(file.parameters, moving: moving, fixed: fixed)
            let u = RegistrationModel.displacement(coordinates: phi, size: size)
            do {
                try NumpyArray(shape: [2, size, size], values: u).write(to: url)
                if let warpedURL {
                    try NumpyArray(shape: [size, size], values: RegistrationModel.warp(moving, coordinates: phi, size: size)).write(to: warpedURL)
                }
            } catch { throw CommandFailure(description: "\(error)") }
        } catch let e as RegistrationError {
            throw CommandFailure(description: e.description)
        }
    }
}
