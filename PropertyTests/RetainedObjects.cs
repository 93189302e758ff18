using System.Reflection;

namespace CartGraph.PropertyTests;

/// <summary>
/// The objects a value keeps alive: everything reachable from it through instance fields, each counted once.
/// Deterministic, unlike a heap measurement, so a property can compare two values by it.
/// </summary>
public static class RetainedObjects
{
    public static int Count(object root)
    {
        var seen = new HashSet<object>(ReferenceEqualityComparer.Instance);
        var pending = new Stack<object>();
        pending.Push(root);
        var count = 0;
        while (pending.TryPop(out var current))
        {
            var type = current.GetType();
            // A struct is part of whatever holds it: not an object of its own, but its fields lead on.
            if (!type.IsValueType)
            {
                if (!seen.Add(current)) continue;
                count++;
            }
            // Runtime metadata (a delegate's method, a type handle) is shared by the whole process, not retained by the value.
            if (current is string or MemberInfo || type.IsPrimitive || type.IsPointer) continue;
            if (current is Array array)
            {
                if (!type.GetElementType()!.IsPrimitive)
                    foreach (var element in array)
                        if (element is not null) pending.Push(element);
                continue;
            }
            foreach (var field in InstanceFields(type))
                if (field.GetValue(current) is { } value) pending.Push(value);
        }
        return count;
    }

    private static IEnumerable<FieldInfo> InstanceFields(Type type)
    {
        for (var t = type; t is not null; t = t.BaseType)
            foreach (var field in t.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
                if (!field.FieldType.IsPointer)
                    yield return field;
    }
}
