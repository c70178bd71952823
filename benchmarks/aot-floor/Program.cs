// One line to standard output through a FileStream on descriptor 1: the least a Native AOT program does to answer --version.
using var output = new FileStream(new Microsoft.Win32.SafeHandles.SafeFileHandle(1, ownsHandle: false), FileAccess.Write, bufferSize: 0);
output.Write("aot-floor 1.0.0\n"u8);
return 0;
