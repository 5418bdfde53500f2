GstInput.GamepadPreset 2
GstInput.GamepadPitchDeadzone 0.000000
GstInput.MouseEnable 1
