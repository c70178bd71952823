using System.Diagnostics.CodeAnalysis;

namespace PatchKit.Lifecycle;

/// <summary>A typed property bag carried by <see cref="PatchRunContext"/> for custom stages and hooks to share data.</summary>
public sealed class PatchRunProperties
{
    private readonly Dictionary<string, object?> _values = new(StringComparer.Ordinal);

    /// <summary>Sets a value.</summary>
    /// <typeparam name="TValue">The type of the value.</typeparam>
    /// <param name="key">The key.</param>
    /// <param name="value">The value.</param>
    public void Set<TValue>(PatchRunPropertyKey<TValue> key, TValue value)
    {
        lock (_values)
        {
            _values[key.Key] = value;
        }
    }

    /// <summary>Gets a value.</summary>
    /// <typeparam name="TValue">The type of the value.</typeparam>
    /// <param name="key">The key.</param>
    /// <param name="value">The value when found.</param>
    /// <returns><see langword="true"/> when the key holds a value of the type.</returns>
    public bool TryGetValue<TValue>(PatchRunPropertyKey<TValue> key, [MaybeNullWhen(false)] out TValue value)
    {
        lock (_values)
        {
            if (_values.TryGetValue(key.Key, out object? v) && v is TValue t)
            {
                value = t;
                return true;
            }
        }

        value = default;
        return false;
    }
}
