namespace Gapless.Core;

/// <summary>Guard clauses for public entry points; messages name the rule and the value.</summary>
internal static class Preconditions
{
    public static void CheckArgument(bool condition, string paramName, string message)
    {
        if (!condition)
        {
            throw new ArgumentException(message, paramName);
        }
    }

    public static T CheckNotNull<T>(T? value, string paramName)
        where T : class
        => value ?? throw new ArgumentNullException(paramName);
}
