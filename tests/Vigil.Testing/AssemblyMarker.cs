namespace Vigil.Testing;
