import GroupTheory

/// The archsynth tool version, printed in generated-file headers.
public enum ArchSynthVersion {
    public static let current = "0.1.0"
}
