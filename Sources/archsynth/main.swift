import ArchSynth
print("archsynth \(ArchSynthVersion.current)")
