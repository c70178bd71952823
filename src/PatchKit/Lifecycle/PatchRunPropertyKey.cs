namespace PatchKit.Lifecycle;

/// <summary>A typed key into <see cref="PatchRunProperties"/>.</summary>
/// <typeparam name="TValue">The type of the value.</typeparam>
/// <param name="Key">The name of the key.</param>
public readonly record struct PatchRunPropertyKey<TValue>(string Key);
